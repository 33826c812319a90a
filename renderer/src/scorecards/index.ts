export { ScorecardDialog } from './ScorecardDialog.tsx';
