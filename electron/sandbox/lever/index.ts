import type { PracticeServerFactory } from '../emulator.ts';
import { manifestName, startLeverPracticeServer } from './server.ts';

export const leverPracticeServer: PracticeServerFactory = {
  manifest: manifestName,
  async start(options) {
    const server = await startLeverPracticeServer(options);
    return { sandbox: server, ready: server.ready, close: () => server.close() };
  },
};
