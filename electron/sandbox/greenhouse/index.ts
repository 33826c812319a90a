import type { PracticeServerFactory } from '../emulator.ts';
import { manifestName, startGreenhousePracticeServer } from './server.ts';

export const greenhousePracticeServer: PracticeServerFactory = {
  manifest: manifestName,
  async start(options) {
    const server = await startGreenhousePracticeServer(options);
    return { sandbox: server, ready: server.ready, close: () => server.close() };
  },
};
