export { ApplicantsScreen } from './ApplicantsScreen.tsx';
