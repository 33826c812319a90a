import type { HandlerGroup } from '../dispatch.ts';
import type { CoreServices } from '../services.ts';

export function browseHandlers({ review }: CoreServices): HandlerGroup<'jobs.list' | 'applicants.list' | 'applicants.packet' | 'views.list' | 'views.save' | 'views.remove'> {
  return {
    'jobs.list': (input) => review.jobs(input.accountId),
    'applicants.list': (input) => review.applicants(input),
    'applicants.packet': (input) => review.packet(input.applicationId),
    'views.list': () => review.views(),
    'views.save': (input) => review.saveView(input),
    'views.remove': (input) => ({ removed: review.removeView(input.id) }),
  };
}
