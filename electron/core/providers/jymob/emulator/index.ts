import { emulatorFactory } from '../../../sandbox/registry.ts';
import { startJyMobEmulator } from './server.ts';

export const jymobEmulator = emulatorFactory('jymob', startJyMobEmulator);
