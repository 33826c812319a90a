import { useEffect } from 'react';
import { isTyping } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';

export const shortcuts: { keys: string[]; action: string }[] = [
  { keys: ['j', '↓'], action: 'Next applicant' },
  { keys: ['k', '↑'], action: 'Previous applicant' },
  { keys: ['Home', 'End'], action: 'First / last applicant' },
  { keys: ['1', '…', '9'], action: 'Rate (within the rating scheme)' },
  { keys: ['0'], action: 'Clear the rating' },
  { keys: ['Space'], action: 'Select / unselect the open applicant for a bulk action' },
  { keys: ['J', 'K'], action: 'Select while moving down / up (shift+j, shift+k; or shift-click, ctrl-click)' },
  { keys: ['s'], action: 'Shortlist / un-shortlist (the selected applicants, or the open one)' },
  { keys: ['x'], action: 'Reject (the selected applicants, or the open one); z undoes it' },
  { keys: ['z'], action: 'Undo the last status change' },
  { keys: ['t'], action: 'Add a tag' },
  { keys: ['n'], action: 'Write a private note' },
  { keys: ['c'], action: 'Scorecard: score the open applicant on the job’s criteria (↑ ↓ choose, a digit scores, 0 clears)' },
  { keys: ['/'], action: 'Search: the matches list in the table’s place; ↓ ↑ move, Enter opens the packet on the matching document, Esc returns' },
  { keys: ['p'], action: 'Show / hide the packet (each layout keeps the columns you choose in Columns…)' },
  { keys: [']', '['], action: 'Next / previous page of the open document' },
  { keys: ['.', ','], action: 'Next / previous document of the packet' },
  { keys: ['f'], action: 'Read the document in the whole window (Esc returns)' },
  { keys: ['e'], action: 'Export letters, packets, the applicant table or interviews' },
  { keys: ['g', 'a'], action: 'Go to applicants' },
  { keys: ['g', 'i'], action: 'Go to interviews' },
  { keys: ['?'], action: 'Show this sheet' },
  { keys: ['Esc'], action: 'Leave a field, close a dialog or clear the selection' },
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
      const { setScreen, toggleShortcuts, move, togglePacket, setExportOpen, toggleShortlist, setStatus, rate, turnPage, moveDocument, setReadingMode } = state;
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
          case ']':
            turnPage(1);
            return true;
          case '[':
            turnPage(-1);
            return true;
          case '.':
            moveDocument(1);
            return true;
          case ',':
            moveDocument(-1);
            return true;
          case 'f':
            setReadingMode(!state.reader.readingMode);
            return true;
          case 'Escape':
            if (state.reader.readingMode) setReadingMode(false);
            else if (state.markedIds.length > 0) state.clearMarks();
            else return false;
            return true;
          case 'e':
            setExportOpen(true);
            return true;
          case '/':
            focus('applicant-search');
            return true;
          case 's':
            void toggleShortlist(state.targetIds());
            return true;
          case 'x':
            void setStatus(state.targetIds(), 'rejected');
            return true;
          case 'z':
            void state.undoStatus();
            return true;
          case ' ':
            if (id !== null) state.toggleMark(id);
            return true;
          case 'J':
            state.extendMarks(1);
            return true;
          case 'K':
            state.extendMarks(-1);
            return true;
          case 't':
            focus('tag-input');
            return true;
          case 'n':
            focus('note-input');
            return true;
          case 'c':
            state.openScorecard(true);
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
