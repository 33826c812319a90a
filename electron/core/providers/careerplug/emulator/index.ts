import { emulatorFactory } from '../../../sandbox/registry.ts';
import { startCareerPlugEmulator } from './server.ts';

export const careerplugEmulator = emulatorFactory('careerplug', startCareerPlugEmulator);
