import { useEffect } from 'react';
import { isTyping } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';

export const shortcuts: { keys: string[]; action: string }[] = [
  { keys: ['j', '↓'], action: 'Next applicant' },
  { keys: ['k', '↑'], action: 'Previous applicant' },
  { keys: ['Home', 'End'], action: 'First / last applicant' },
  { keys: ['1', '…', '9'], action: 'Rate (within the rating scheme)' },
  { keys: ['0'], action: 'Clear the rating' },
  { keys: ['s'], action: 'Shortlist / un-shortlist' },
  { keys: ['x'], action: 'Reject' },
  { keys: ['t'], action: 'Add a tag' },
  { keys: ['n'], action: 'Write a private note' },
  { keys: ['/'], action: 'Search' },
  { keys: ['p'], action: 'Show / hide the packet (the table then shows every column)' },
  { keys: ['e'], action: 'Export letters, packets, the applicant table or interviews' },
  { keys: ['g', 'a'], action: 'Go to applicants' },
  { keys: ['g', 'i'], action: 'Go to interviews' },
  { keys: ['?'], action: 'Show this sheet' },
  { keys: ['Esc'], action: 'Leave a field or close a dialog' },
];

function focus(id: string): void {
  const element = document.getElementById(id);
  if (element instanceof HTMLElement) element.focus();
}

/** The reviewer's keys, active whenever focus is not in a text field or a dialog. */
export function useShortcuts(): void {
  useEffect(() => {
    let pendingGo = false;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector('[role="dialog"]') && event.key !== '?') return;
      const state = useApp.getState();
      const { setScreen, toggleShortcuts, move, togglePacket, setExportOpen, toggleShortlist, setStatus, rate } = state;
      if (pendingGo) {
        pendingGo = false;
        if (event.key === 'a') setScreen('applicants');
        else if (event.key === 'i') setScreen('interviews');
        else if (event.key === 'p') setScreen('postings');
        else if (event.key === 's') setScreen('settings');
        event.preventDefault();
        return;
      }
      if (event.key === '?') {
        toggleShortcuts();
        event.preventDefault();
        return;
      }
      if (event.key === 'g') {
        pendingGo = true;
        return;
      }
      if (state.screen !== 'applicants') return;
      const id = state.selectedId;
      const handled = (() => {
        switch (event.key) {
          case 'j':
          case 'ArrowDown':
            move(1);
            return true;
          case 'k':
          case 'ArrowUp':
            move(-1);
            return true;
          case 'Home':
            move(-Infinity);
            return true;
          case 'End':
            move(Infinity);
            return true;
          case 'p':
            togglePacket();
            return true;
          case 'e':
            setExportOpen(true);
            return true;
          case '/':
            focus('applicant-search');
            return true;
          case 's':
            if (id !== null) void toggleShortlist(id);
            return true;
          case 'x':
            if (id !== null) void setStatus([id], 'rejected');
            return true;
          case 't':
            focus('tag-input');
            return true;
          case 'n':
            focus('note-input');
            return true;
          case '0':
            if (id !== null) void rate(id, null);
            return true;
          default: {
            const digit = Number(event.key);
            if (id === null || !/^[1-9]$/.test(event.key) || digit < state.scheme.min || digit > state.scheme.max) return false;
            void rate(id, digit);
            return true;
          }
        }
      })();
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
