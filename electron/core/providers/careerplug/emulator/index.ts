import type { EmulatorFactory } from '../../../sandbox/registry.ts';
import { startCareerPlugEmulator } from './server.ts';

export const careerplugEmulator: EmulatorFactory = {
  provider: 'careerplug',
  async start(options) {
    const emulator = await startCareerPlugEmulator(options);
    return { sandbox: emulator, ready: emulator.ready, close: () => emulator.close() };
  },
};
