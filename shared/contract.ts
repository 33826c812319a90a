import { z } from 'zod';
import { Account, Id, OutboxItem, SyncProgress } from './domain.ts';
import type { Endpoint } from './api/define.ts';
import { accountsApi, AuthWaiting } from './api/accounts.ts';
import { appApi } from './api/app.ts';
import { browseApi } from './api/browse.ts';
import { committeeApi } from './api/committee.ts';
import { documentsApi } from './api/documents.ts';
import { postingsApi } from './api/postings.ts';
import { reviewApi } from './api/review.ts';
import { syncApi } from './api/sync.ts';
import { writesApi } from './api/writes.ts';

/**
 * The one list of requests the UI can make. The preload bridge, the browser host and the core
 * handlers are all typed and validated against this object; there is no second list.
 */
export const api = {
  ...appApi,
  ...accountsApi,
  ...syncApi,
  ...browseApi,
  ...reviewApi,
  ...documentsApi,
  ...postingsApi,
  ...writesApi,
  ...committeeApi,
} satisfies Record<string, Endpoint>;

export type Api = typeof api;
export type ApiName = keyof Api;
export type ApiInput<Name extends ApiName> = z.input<Api[Name]['input']>;
export type ApiParsedInput<Name extends ApiName> = z.output<Api[Name]['input']>;
export type ApiResult<Name extends ApiName> = z.output<Api[Name]['result']>;

/** Everything the core pushes to the UI without being asked. */
export const events = {
  'sync.progress': SyncProgress,
  'sync.finished': z.object({
    accountId: Id,
    ok: z.boolean(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    /** How many lists the provider stopped serving before their end (nothing in them was marked removed). */
    unfinishedLists: z.number().int().nonnegative(),
  }),
  'account.state': Account,
  'auth.waiting': AuthWaiting,
  'outbox.changed': OutboxItem,
  /** Something of a committee changed: a member's edit arrived, the connection changed, or a member was revoked. */
  'committee.changed': z.object({ committeeId: z.string() }),
  'export.progress': z.object({ kind: z.enum(['letters', 'packets', 'applicants', 'interviews']), done: z.number().int().nonnegative(), total: z.number().int().nonnegative(), current: z.string().nullable() }),
};

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<Name extends EventName> = z.output<Events[Name]>;

export function isApiName(value: unknown): value is ApiName {
  return typeof value === 'string' && Object.hasOwn(api, value);
}

/** Validates an input at a boundary; the message names each offending field in words a person can act on. */
export function parseInput<Name extends ApiName>(
  name: Name,
  input: unknown,
): { ok: true; value: ApiParsedInput<Name> } | { ok: false; message: string } {
  const parsed = api[name].input.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as ApiParsedInput<Name> };
  const message = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
  return { ok: false, message: `${name}: ${message}` };
}

/** The transport-neutral client both hosts implement for the renderer. */
export interface DossierClient {
  call<Name extends ApiName>(name: Name, input: ApiInput<Name>): Promise<ApiResult<Name>>;
  on<Name extends EventName>(name: Name, listener: (payload: EventPayload<Name>) => void): () => void;
}
