import type { EmulatorFactory } from '../../../sandbox/registry.ts';
import { startJobSpaceEmulator } from './server.ts';

export const jobspaceEmulator: EmulatorFactory = {
  provider: 'jobspace',
  async start(options) {
    const emulator = await startJobSpaceEmulator(options);
    return { sandbox: emulator, ready: emulator.ready, close: () => emulator.close() };
  },
};
