import { emulatorFactory } from '../emulator.ts';
import { startInfoJobsEmulator } from './server.ts';

export const infojobsEmulator = emulatorFactory('infojobs', startInfoJobsEmulator);
