import { z } from 'zod';
import { endpoint } from './define.ts';

export const appApi = {
  'app.info': endpoint({
    input: z.object({}),
    result: z.object({ version: z.string(), dataDir: z.string(), host: z.enum(['electron', 'browser']), online: z.boolean() }),
    errors: [],
  }),
  'settings.theme': endpoint({ input: z.object({ theme: z.enum(['system', 'light', 'dark']).optional() }), result: z.object({ theme: z.enum(['system', 'light', 'dark']) }), errors: [] }),
};
