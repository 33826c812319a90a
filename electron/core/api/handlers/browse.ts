import { listApplicants } from '../../review/applicants.ts';
import { listJobs } from '../../review/jobs.ts';
import { applicantPacket } from '../../review/packet.ts';
import { listViews, removeView, saveView } from '../../review/views.ts';
import type { CoreDeps } from '../deps.ts';
import type { HandlerGroup } from '../dispatch.ts';

export function browseHandlers(deps: CoreDeps): HandlerGroup<'jobs.list' | 'applicants.list' | 'applicants.packet' | 'views.list' | 'views.save' | 'views.remove'> {
  const { db } = deps.context;
  return {
    'jobs.list': (input) => listJobs(db, input.accountId),
    'applicants.list': (input) => listApplicants(db, input),
    'applicants.packet': (input) => applicantPacket(db, input.applicationId),
    'views.list': () => listViews(db),
    'views.save': (input) => saveView(db, input),
    'views.remove': (input) => ({ removed: removeView(db, input.id) }),
  };
}
