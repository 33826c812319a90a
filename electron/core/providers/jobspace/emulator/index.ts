import { emulatorFactory } from '../../../sandbox/registry.ts';
import { startJobSpaceEmulator } from './server.ts';

export const jobspaceEmulator = emulatorFactory('jobspace', startJobSpaceEmulator);
