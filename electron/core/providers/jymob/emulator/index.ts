import type { EmulatorFactory } from '../../../sandbox/registry.ts';
import { startJyMobEmulator } from './server.ts';

export const jymobEmulator: EmulatorFactory = {
  provider: 'jymob',
  async start(options) {
    const emulator = await startJyMobEmulator(options);
    return { sandbox: emulator, ready: emulator.ready, close: () => emulator.close() };
  },
};
