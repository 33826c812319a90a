import { emulatorFactory } from '../emulator.ts';
import { startJyMobEmulator } from './server.ts';

export const jymobEmulator = emulatorFactory('jymob', startJyMobEmulator);
