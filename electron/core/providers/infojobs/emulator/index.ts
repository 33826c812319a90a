import type { EmulatorFactory } from '../../../sandbox/registry.ts';
import { startInfoJobsEmulator } from './server.ts';

export const infojobsEmulator: EmulatorFactory = {
  provider: 'infojobs',
  async start(options) {
    const emulator = await startInfoJobsEmulator(options);
    return { sandbox: emulator, ready: emulator.ready, close: () => emulator.close() };
  },
};
