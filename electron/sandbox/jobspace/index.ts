import { emulatorFactory } from '../emulator.ts';
import { startJobSpaceEmulator } from './server.ts';

export const jobspaceEmulator = emulatorFactory('jobspace', startJobSpaceEmulator);
