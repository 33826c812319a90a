export { CommitteeScreen } from './CommitteeScreen.tsx';
