export { PostingsScreen } from './PostingsScreen.tsx';
export { PendingWrite, failureText } from './PendingWrite.tsx';
