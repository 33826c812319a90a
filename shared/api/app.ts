import { z } from 'zod';
import { Account } from '../domain.ts';
import { endpoint } from './define.ts';

export const appApi = {
  'app.info': endpoint({
    input: z.object({}),
    /** `downloadsDir` is where exports are offered to go by default (the user's Downloads folder; it may not exist yet). */
    result: z.object({ version: z.string(), dataDir: z.string(), downloadsDir: z.string(), host: z.enum(['electron', 'browser']), online: z.boolean() }),
    errors: [],
  }),
  /** Starts the provider sandboxes with generated data and connects them through the real sign-in and sync path. */
  'demo.start': endpoint({ input: z.object({}), result: z.object({ accounts: z.array(Account) }), errors: ['network.unreachable', 'internal'] }),
  'settings.theme': endpoint({ input: z.object({ theme: z.enum(['system', 'light', 'dark']).optional() }), result: z.object({ theme: z.enum(['system', 'light', 'dark']) }), errors: [] }),
};
