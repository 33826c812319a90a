import type { ProviderId } from '../../shared/domain.ts';
import type { EmulatorFactory, PracticeServerFactory } from './emulator.ts';

export { parseStrictness, type StrictnessProfile } from './strictness.ts';
export { defaultSeed, scales, type EmulatorFactory, type EmulatorStartOptions, type PracticeReadyLine, type PracticeServerFactory, type ReadyLine, type Scale, type StartedEmulator } from './emulator.ts';

/** One line per provider; loaded lazily so the command line stays quick to start. */
export const emulators: Partial<Record<ProviderId, () => Promise<EmulatorFactory>>> = {
  ejm: async () => (await import('./ejm/index.ts')).ejmEmulator,
  careerplug: async () => (await import('./careerplug/index.ts')).careerplugEmulator,
  infojobs: async () => (await import('./infojobs/index.ts')).infojobsEmulator,
  jobspace: async () => (await import('./jobspace/index.ts')).jobspaceEmulator,
  jymob: async () => (await import('./jymob/index.ts')).jymobEmulator,
};

/** Practice servers for the bundled provider manifests, by the name `dossier sandbox` takes; each names its manifest (build/manifests/<manifest>.json). */
export const practiceServers: Readonly<Record<string, () => Promise<PracticeServerFactory>>> = {
  greenhouse: async () => (await import('./greenhouse/index.ts')).greenhousePracticeServer,
  lever: async () => (await import('./lever/index.ts')).leverPracticeServer,
};
