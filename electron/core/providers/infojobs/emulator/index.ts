import { emulatorFactory } from '../../../sandbox/registry.ts';
import { startInfoJobsEmulator } from './server.ts';

export const infojobsEmulator = emulatorFactory('infojobs', startInfoJobsEmulator);
