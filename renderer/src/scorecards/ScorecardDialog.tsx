import { useState, type KeyboardEvent } from 'react';
import type { Rubric, Scorecard } from '../../../shared/api/review.ts';
import { formatScore } from '../applicants/columns.tsx';
import { Dialog } from '../common/ui.tsx';
import { useApp } from '../store/index.ts';
import type { RubricDraft } from '../store/scorecards.ts';

/** What a committee usually scores against, offered (unsaved) when a job has no criteria yet. */
const suggestedCriteria = [
  { name: 'Research', weight: 2 },
  { name: 'Teaching', weight: 1 },
  { name: 'Fit', weight: 1 },
  { name: 'Letters', weight: 1 },
];

/**
 * The open applicant's scorecard: each criterion of their job's rubric scored from the keyboard
 * (↑/↓ choose a criterion, a digit scores it and moves on, 0 clears it), and the rubric itself
 * edited in place.
 */
export function ScorecardDialog() {
  const card = useApp((state) => state.scorecard);
  const name = useApp((state) => (state.selectedId === null ? '' : (state.rowsById[state.selectedId]?.name ?? '')));
  const openScorecard = useApp((state) => state.openScorecard);
  const [editing, setEditing] = useState(false);
  const close = () => openScorecard(false);
  const rubric = card?.rubric ?? null;
  const title = `Scorecard — ${name}`;

  if (card === null) {
    return (
      <Dialog title={title} onClose={close} className="scorecard-dialog">
        <p className="muted">Loading the scorecard…</p>
      </Dialog>
    );
  }
  if (rubric === null) {
    return (
      <Dialog title={title} onClose={close} className="scorecard-dialog">
        <p>This application is linked to no job in the local copy, so it has no rubric to score against. Sync its account again to link it.</p>
      </Dialog>
    );
  }
  if (editing || rubric.criteria.length === 0) {
    return <RubricEditor title={title} rubric={rubric} onDone={() => setEditing(false)} onClose={close} />;
  }
  return <ScoreSheet title={title} card={card} rubric={rubric} onEdit={() => setEditing(true)} onClose={close} />;
}

function ScoreSheet({ title, card, rubric, onEdit, onClose }: { title: string; card: Scorecard; rubric: Rubric; onEdit: () => void; onClose: () => void }) {
  const scoreCriterion = useApp((state) => state.scoreCriterion);
  const [active, setActive] = useState(0);
  const { min, max } = rubric.scale;
  const values = Array.from({ length: max - min + 1 }, (_, index) => min + index);
  const scoreOf = (criterionId: number) => card.scores.find((score) => score.criterionId === criterionId)?.score ?? null;

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const criterion = rubric.criteria[active];
    if (!criterion) return;
    const move = (step: number) => setActive(Math.min(rubric.criteria.length - 1, Math.max(0, active + step)));
    if (event.key === 'ArrowDown' || event.key === 'j') move(1);
    else if (event.key === 'ArrowUp' || event.key === 'k') move(-1);
    else if (event.key === '0' || event.key === 'Backspace' || event.key === 'Delete') void scoreCriterion(criterion.id, null);
    else if (/^\d$/.test(event.key) && Number(event.key) >= min && Number(event.key) <= max) {
      void scoreCriterion(criterion.id, Number(event.key));
      move(1);
    } else return;
    event.preventDefault();
  };

  return (
    <Dialog
      title={title}
      onClose={onClose}
      className="scorecard-dialog"
      footer={
        <>
          <span className="scorecard-total" aria-live="polite">
            Committee score <strong data-testid="committee-score">{card.committeeScore === null ? '–' : formatScore(card.committeeScore)}</strong>
            <span className="muted"> weighted mean of the scored criteria</span>
          </span>
          <span className="grow" />
          <button onClick={onEdit}>Edit criteria…</button>
          <button className="primary" onClick={onClose}>
            Done
          </button>
        </>
      }
    >
      <div className="scorecard" role="grid" aria-label="Criteria" tabIndex={0} onKeyDown={onKey} aria-activedescendant={`criterion-${active}`}>
        {rubric.criteria.map((criterion, index) => {
          const score = scoreOf(criterion.id);
          return (
            <div key={criterion.id} id={`criterion-${index}`} role="row" aria-selected={index === active} className="scorecard-row" onClick={() => setActive(index)}>
              <span role="rowheader" className="criterion-name">
                {criterion.name}
                <span className="muted"> ×{criterion.weight}</span>
              </span>
              <span role="gridcell" className="criterion-scores">
                {values.map((value) => (
                  <button key={value} className="small" tabIndex={-1} aria-pressed={score === value} aria-label={`${criterion.name} ${value}`} onClick={() => void scoreCriterion(criterion.id, score === value ? null : value)}>
                    {value}
                  </button>
                ))}
              </span>
            </div>
          );
        })}
      </div>
      <p className="muted scorecard-keys">
        <kbd>↑</kbd>/<kbd>↓</kbd> choose · <kbd>{min}</kbd>–<kbd>{max}</kbd> score and go on · <kbd>0</kbd> clear · <kbd>Esc</kbd> close
      </p>
    </Dialog>
  );
}

interface DraftCriterion {
  key: number;
  id?: number;
  name: string;
  weight: string;
  scoreCount: number;
}

function RubricEditor({ title, rubric, onDone, onClose }: { title: string; rubric: Rubric; onDone: () => void; onClose: () => void }) {
  const saveRubric = useApp((state) => state.saveRubric);
  const jobTitle = useApp((state) => state.jobs.find((job) => job.id === rubric.jobId)?.title ?? 'this job');
  const fresh = rubric.criteria.length === 0;
  const [scale, setScale] = useState({ min: String(rubric.scale.min), max: String(rubric.scale.max) });
  const [criteria, setCriteria] = useState<DraftCriterion[]>(() =>
    fresh
      ? suggestedCriteria.map((criterion, key) => ({ key, name: criterion.name, weight: String(criterion.weight), scoreCount: 0 }))
      : rubric.criteria.map((criterion, key) => ({ key, id: criterion.id, name: criterion.name, weight: String(criterion.weight), scoreCount: criterion.scoreCount })),
  );
  const change = (key: number, patch: Partial<DraftCriterion>) => setCriteria(criteria.map((criterion) => (criterion.key === key ? { ...criterion, ...patch } : criterion)));
  const draft: RubricDraft = {
    jobId: rubric.jobId,
    scale: { min: Number(scale.min), max: Number(scale.max) },
    criteria: criteria.map((criterion) => ({ ...(criterion.id === undefined ? {} : { id: criterion.id }), name: criterion.name.trim(), weight: Number(criterion.weight) })),
  };
  const save = () => void saveRubric(draft).then((saved) => saved && onDone());

  return (
    <Dialog
      title={title}
      onClose={onClose}
      className="scorecard-dialog"
      footer={
        <>
          {fresh ? null : <button onClick={onDone}>Cancel</button>}
          <button className="primary" onClick={save} disabled={criteria.length === 0}>
            Save criteria
          </button>
        </>
      }
    >
      <p className="muted">
        {fresh ? `No criteria for ${jobTitle} yet: these are a start — rename, reweigh or add your committee’s own.` : `The criteria every applicant to ${jobTitle} is scored on.`} The committee score is the weighted mean of the criteria scored.
      </p>
      <div className="rubric-scale">
        <label>
          Scale from <input type="number" aria-label="Lowest score" value={scale.min} onChange={(event) => setScale({ ...scale, min: event.target.value })} />
        </label>
        <label>
          to <input type="number" aria-label="Highest score" value={scale.max} onChange={(event) => setScale({ ...scale, max: event.target.value })} />
        </label>
      </div>
      <div className="rubric-criteria" role="list" aria-label="Criteria">
        {criteria.map((criterion, index) => (
          <div key={criterion.key} role="listitem" className="rubric-row">
            <input type="text" aria-label={`Criterion ${index + 1} name`} value={criterion.name} onChange={(event) => change(criterion.key, { name: event.target.value })} />
            <label>
              weight <input type="number" min="0.1" step="0.5" aria-label={`Criterion ${index + 1} weight`} value={criterion.weight} onChange={(event) => change(criterion.key, { weight: event.target.value })} />
            </label>
            <button
              className="ghost small"
              aria-label={`Remove ${criterion.name || `criterion ${index + 1}`}`}
              title={criterion.scoreCount > 0 ? `Saving removes its ${criterion.scoreCount} scores` : 'Remove'}
              onClick={() => setCriteria(criteria.filter((candidate) => candidate.key !== criterion.key))}
            >
              ✕
            </button>
            {criterion.scoreCount > 0 ? <span className="muted">{criterion.scoreCount} scored</span> : null}
          </div>
        ))}
      </div>
      {rubric.criteria.some((saved) => saved.scoreCount > 0 && !criteria.some((criterion) => criterion.id === saved.id)) ? (
        <p className="warning">Saving removes the scores given on the criteria you removed.</p>
      ) : null}
      <button
        className="small"
        onClick={() => setCriteria([...criteria, { key: Math.max(-1, ...criteria.map((criterion) => criterion.key)) + 1, name: '', weight: '1', scoreCount: 0 }])}
      >
        Add criterion
      </button>
    </Dialog>
  );
}
