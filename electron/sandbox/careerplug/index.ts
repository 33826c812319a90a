import { emulatorFactory } from '../emulator.ts';
import { startCareerPlugEmulator } from './server.ts';

export const careerplugEmulator = emulatorFactory('careerplug', startCareerPlugEmulator);
