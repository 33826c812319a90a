import type { Rubric, Scorecard } from '../../../shared/api/review.ts';
import type { NoticesSlice } from './notices.ts';
import type { PacketSlice } from './packet.ts';
import type { RowsSlice } from './rows.ts';
import type { SessionSlice } from './session.ts';
import type { Slice } from './slice.ts';

/** What the rubric editor saves: the scale and the criteria in order; a kept criterion carries its id. */
export interface RubricDraft {
  jobId: number;
  scale: { min: number; max: number };
  criteria: { id?: number; name: string; weight: number }[];
}

/** The open applicant's scorecard (scores on their job's rubric), shown in a dialog opened with `c`. */
export interface ScorecardsSlice {
  scorecardOpen: boolean;
  /** The scorecard of the open applicant while the dialog shows; null while it loads. */
  scorecard: Scorecard | null;
  openScorecard: (open: boolean) => void;
  /** Scores a criterion of the open applicant (null clears it); the table's Score follows. */
  scoreCriterion: (criterionId: number, score: number | null) => Promise<void>;
  loadRubric: (jobId: number) => Promise<Rubric | undefined>;
  /** Saves a job's rubric and reloads the open scorecard on it; resolves to whether it was saved. */
  saveRubric: (draft: RubricDraft) => Promise<boolean>;
}

export const createScorecardsSlice: Slice<ScorecardsSlice, PacketSlice & RowsSlice & SessionSlice & NoticesSlice> = (set, get) => {
  const client = () => get().transport.client;
  const shown = (card: Scorecard) => {
    get().applyCommitteeScore(card.applicationId, card.committeeScore);
    if (get().scorecardOpen && get().selectedId === card.applicationId) set({ scorecard: card });
  };
  const load = async (applicationId: number) => {
    const card = await get().attempt(() => client().call('scorecards.get', { applicationId }));
    if (card) shown(card);
  };
  return {
    scorecardOpen: false,
    scorecard: null,
    openScorecard: (open) => {
      const { selectedId } = get();
      if (open && selectedId === null) {
        get().notify('Open an applicant first: the scorecard scores the applicant shown in the packet.');
        return;
      }
      set({ scorecardOpen: open, scorecard: null });
      if (open && selectedId !== null) void load(selectedId);
    },
    scoreCriterion: async (criterionId, score) => {
      const applicationId = get().scorecard?.applicationId;
      if (applicationId === undefined) return;
      const card = await get().attempt(() => client().call('scorecards.setScore', { applicationId, criterionId, score }));
      if (card) shown(card);
    },
    loadRubric: (jobId) => get().attempt(() => client().call('scorecards.rubric', { jobId })),
    saveRubric: async (draft) => {
      const rubric = await get().attempt(() => client().call('scorecards.saveRubric', draft));
      if (!rubric) return false;
      const applicationId = get().scorecard?.applicationId;
      if (applicationId !== undefined) await load(applicationId);
      get().notify(`Saved the rubric: ${rubric.criteria.length} ${rubric.criteria.length === 1 ? 'criterion' : 'criteria'} scored ${rubric.scale.min}–${rubric.scale.max}.`);
      return true;
    },
  };
};
