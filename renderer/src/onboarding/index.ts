export { OnboardingScreen } from './OnboardingScreen.tsx';
export { SignInWaiting } from './SignInWaiting.tsx';
export { RedirectUriNote } from './RedirectUriNote.tsx';
