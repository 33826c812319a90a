export { InterviewDialog } from './InterviewDialog.tsx';
export { InterviewsScreen } from './InterviewsScreen.tsx';
