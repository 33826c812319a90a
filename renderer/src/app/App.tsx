import { ApplicantsScreen } from '../applicants/index.ts';
import { CommitteeScreen } from '../committee/index.ts';
import { Dialog, ScreenBoundary } from '../common/ui.tsx';
import { InterviewsScreen } from '../interviews/index.ts';
import { OnboardingScreen } from '../onboarding/index.ts';
import { PostingsScreen } from '../postings/index.ts';
import { SettingsScreen } from '../settings/index.ts';
import { useApp } from '../store/index.ts';
import { shortcuts, useShortcuts } from './keyboard.ts';
import { Sidebar } from './Sidebar.tsx';

export function App() {
  useShortcuts();
  const ready = useApp((state) => state.ready);
  const screen = useApp((state) => state.screen);
  const connected = useApp((state) => state.connected);
  const online = useApp((state) => state.info?.online ?? true);
  if (!ready) {
    return (
      <div className="empty" role="status">
        Opening your workspace…
      </div>
    );
  }
  return (
    <div className="app">
      <Sidebar />
      <main className="main" aria-label={screenTitles[screen]}>
        {!connected ? (
          <div className="offline-banner" role="status">
            Dossier’s local service is not answering; reconnecting…
          </div>
        ) : !online ? (
          <div className="offline-banner" role="status">
            Offline — you are working from the local copy. Ratings, notes and postings are kept and sent on the next sync.
          </div>
        ) : null}
        <ScreenBoundary screen={screen}>
          {screen === 'applicants' ? <ApplicantsScreen /> : null}
          {screen === 'interviews' ? <InterviewsScreen /> : null}
          {screen === 'postings' ? <PostingsScreen /> : null}
          {screen === 'committee' ? <CommitteeScreen /> : null}
          {screen === 'settings' ? <SettingsScreen /> : null}
          {screen === 'onboarding' ? <OnboardingScreen /> : null}
        </ScreenBoundary>
      </main>
      <ShortcutSheet />
      <Notices />
    </div>
  );
}

const screenTitles = {
  applicants: 'Applicants',
  interviews: 'Interviews',
  postings: 'Job postings',
  committee: 'Committee',
  settings: 'Settings',
  onboarding: 'Add an account',
} as const;

function ShortcutSheet() {
  const open = useApp((state) => state.shortcutsOpen);
  const toggleShortcuts = useApp((state) => state.toggleShortcuts);
  if (!open) return null;
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => toggleShortcuts(false)}>
      <div className="shortcuts">
        {shortcuts.map((shortcut) => (
          <div key={shortcut.action} style={{ display: 'contents' }}>
            <span>
              {shortcut.keys.map((key, index) => (
                <span key={index}>
                  {key === '…' ? ' … ' : <kbd>{key}</kbd>}{' '}
                </span>
              ))}
            </span>
            <span>{shortcut.action}</span>
          </div>
        ))}
      </div>
    </Dialog>
  );
}

function Notices() {
  const notices = useApp((state) => state.notices);
  const dismissNotice = useApp((state) => state.dismissNotice);
  return (
    <div className="toasts" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`toast ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <p>{notice.message}</p>
          <button className="ghost small" aria-label="Dismiss" onClick={() => dismissNotice(notice.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
