import type { committeeApi } from '../../../../shared/api/committee.ts';
import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function committeeHandlers({ committees }: CoreServices): HandlerGroup<keyof typeof committeeApi> {
  return {
    'committee.list': () => committees.list(),
    'committee.create': (input) => committees.create(input),
    'committee.invite': (input) => committees.invite(input.committeeId, input.days),
    'committee.join': (input) => committees.join(input),
    'committee.leave': (input) => committees.leave(input.committeeId),
    'committee.members': (input) => committees.members(input.committeeId),
    'committee.revoke': (input) => committees.revoke(input.committeeId, input.memberId),
    'committee.tally': (input) => committees.tally(input.committeeId, input.sort, input.filter, input.jobId),
    'committee.candidate': (input) => committees.candidate(input.committeeId, input.applicationId),
    'committee.forApplication': (input) => committees.forApplication(input.applicationId),
    'committee.setSharedNote': (input) => committees.setSharedNote(input.committeeId, input.applicationId, input.note),
    'committee.propose': (input) => committees.propose(input.committeeId, input.applicationId, input.status),
    'committee.post': (input) => committees.post(input.committeeId, input.applicationId, input.text),
    'committee.assign': (input) => committees.assign(input.committeeId, input.memberId, input.applicationIds, input.assigned),
    'committee.split': (input) => committees.split(input.committeeId, input.readers),
    'committee.exportTally': (input) => committees.exportTally(input.committeeId, input.out, input.overwrite),
  };
}
