export { PostingsScreen } from './PostingsScreen.tsx';
