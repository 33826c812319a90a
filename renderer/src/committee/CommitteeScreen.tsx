import { useState } from 'react';
import type { Committee, TallyRow } from '../../../shared/api/committee.ts';
import type { ApiInput } from '../../../shared/contract.ts';
import { PacketPane } from '../packet/index.ts';
import { useApp } from '../store/index.ts';
import { JoinCommitteeDialog, NewCommitteeDialog } from './CommitteeForms.tsx';
import { ExportTallyDialog } from './ExportTallyDialog.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { ConnectionBadge, useCommitteeData } from './shared.tsx';
import { firstDirection, sortRows, TallyTable, type TallyColumn, type TallySortChoice } from './TallyTable.tsx';

type Filter = NonNullable<ApiInput<'committee.tally'>['filter']>;

const filterChips: { filter: Filter; label: string; empty: string }[] = [
  { filter: 'all', label: 'All', empty: 'No candidates yet: the committee’s jobs have no applicants synced here.' },
  { filter: 'assignedToMe', label: 'Assigned to me', empty: 'Nobody is assigned to you. The chair splits the reading from the members panel.' },
  { filter: 'unreadByMe', label: 'Not read by me', empty: 'You have read every candidate.' },
  { filter: 'disagreements', label: 'Disagreements', empty: 'No disagreements: the members’ scores are close on every candidate.' },
];

export function CommitteeScreen() {
  const committee = useApp((state) => state.committees.find((candidate) => candidate.id === state.committeeId));
  return committee ? <CommitteeView key={committee.id} committee={committee} /> : <CommitteeList />;
}

function CommitteeList() {
  const committees = useApp((state) => state.committees);
  const openCommittee = useApp((state) => state.openCommittee);
  const [form, setForm] = useState<'new' | 'join' | null>(null);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Committees</h1>
        <button onClick={() => setForm('join')}>Join with an invite code</button>
        <button className="primary" onClick={() => setForm('new')}>
          New committee
        </button>
      </div>
      {committees.length === 0 ? (
        <div className="settings-section">
          <p>
            A committee reviews the applicants of some jobs together: each member reads and rates on their own machine, even offline, and sees the others’ ratings, scores, shared notes and
            discussion side by side. Only that shared work goes through the committee server, encrypted; applicants’ documents never do, and your private notes stay on this machine.
          </p>
          <p className="muted">Start one as its chair, or join one with the code its chair sent you.</p>
        </div>
      ) : (
        <ul className="committee-list" aria-label="Your committees">
          {committees.map((committee) => (
            <li key={committee.id}>
              <button className="committee-card" onClick={() => openCommittee(committee.id)} aria-label={`Open ${committee.name}`}>
                <span className="committee-card-head">
                  <strong>{committee.name}</strong>
                  <span className="chip">{committee.role === 'chair' ? 'Chair' : 'Member'}</span>
                </span>
                <span className="muted">
                  {committee.memberCount} {committee.memberCount === 1 ? 'member' : 'members'} · {committee.jobIds.length} {committee.jobIds.length === 1 ? 'job' : 'jobs'} · as {committee.memberName}
                </span>
              </button>
              <ConnectionBadge committee={committee} long={committee.connection === 'offline' || committee.connection === 'revoked'} />
            </li>
          ))}
        </ul>
      )}
      {form === 'new' ? <NewCommitteeDialog onClose={() => setForm(null)} /> : null}
      {form === 'join' ? <JoinCommitteeDialog onClose={() => setForm(null)} /> : null}
    </div>
  );
}

function CommitteeView({ committee }: { committee: Committee }) {
  const client = useApp((state) => state.transport.client);
  const openCommittee = useApp((state) => state.openCommittee);
  const select = useApp((state) => state.select);
  const selectedId = useApp((state) => state.selectedId);
  const notify = useApp((state) => state.notify);
  const [filter, setFilter] = useState<Filter>('all');
  const [sort, setSort] = useState<TallySortChoice | null>(null);
  const [pane, setPane] = useState<'members' | 'packet'>('members');
  const [exporting, setExporting] = useState(false);
  const { data: tally, problem, reload } = useCommitteeData([committee.id], () => client.call('committee.tally', { committeeId: committee.id, filter }), filter);

  const showingPacket = pane === 'packet' && selectedId !== null;
  const rows = tally ? sortRows(tally.rows, sort) : [];
  const selectedRemoteId = tally?.rows.find((row) => row.applicationId !== null && row.applicationId === selectedId)?.applicationRemoteId ?? null;
  const onSort = (column: TallyColumn) =>
    setSort((current) => (current?.column === column ? (current.direction === firstDirection(column) ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' } : null) : { column, direction: firstDirection(column) }));
  const open = (row: TallyRow) => {
    if (row.applicationId === null) {
      notify(`${row.name} is not on this machine yet: sync your account to read the packet.`);
      return;
    }
    select(row.applicationId);
    setPane('packet');
  };

  return (
    <>
      <div className="toolbar">
        <div className="title-row">
          <button className="ghost small" onClick={() => openCommittee(null)} aria-label="All committees">
            ←
          </button>
          <h1>{committee.name}</h1>
          <span className="sub">
            {committee.role === 'chair' ? 'Chair' : 'Member'} · {committee.memberCount} members
          </span>
          <ConnectionBadge committee={committee} />
          <span className="grow" />
          <button className="small" aria-pressed={pane === 'members'} onClick={() => setPane(pane === 'members' && selectedId !== null ? 'packet' : 'members')}>
            Members
          </button>
          <button className="small" onClick={() => setExporting(true)}>
            Export tally…
          </button>
        </div>
        {committee.connection === 'offline' || committee.connection === 'revoked' ? (
          <p className={`committee-note ${committee.connection}`} role="note">
            <ConnectionBadge committee={committee} long />
          </p>
        ) : null}
        <div className="filters" role="group" aria-label="Show">
          {filterChips.map((chip) => (
            <button key={chip.filter} className="small" aria-pressed={filter === chip.filter} onClick={() => setFilter(chip.filter)}>
              {chip.label}
              {tally ? <span className="chip-count">{tally.counts[chip.filter].toLocaleString()}</span> : null}
            </button>
          ))}
          {sort ? (
            <button className="ghost small" onClick={() => setSort(null)}>
              Disagreements first
            </button>
          ) : null}
        </div>
      </div>
      <div className={`workspace committee-workspace${showingPacket ? '' : ' with-members'}`}>
        {tally ? (
          <TallyTable
            tally={tally}
            rows={rows}
            sort={sort}
            onSort={onSort}
            selectedRemoteId={selectedRemoteId}
            onOpen={open}
            showJob={committee.jobIds.length > 1 && !showingPacket}
            emptyMessage={filterChips.find((chip) => chip.filter === filter)?.empty ?? ''}
          />
        ) : (
          <div className="table-wrap">
            <div className={problem ? 'empty error-text' : 'empty'} role={problem ? 'alert' : 'status'}>
              {problem ?? 'Loading the tally…'}
            </div>
          </div>
        )}
        {showingPacket ? <PacketPane /> : <MembersPanel committee={committee} roster={tally?.members ?? []} onChanged={reload} />}
      </div>
      {exporting ? <ExportTallyDialog committee={committee} onClose={() => setExporting(false)} /> : null}
    </>
  );
}
