import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { EmulatorFactory, EmulatorStartOptions, StartedEmulator } from '../emulator.ts';
import { startSandbox } from '../server.ts';
import { generateDataset } from './dataset.ts';
import { EjmEmulator } from './server.ts';

export interface StartedEjm extends StartedEmulator {
  readonly emulator: EjmEmulator;
}

/** Starts the EconJobMarket emulator: API under `/api/`, client-credentials token at `/token/`. */
export async function startEjm(options: EmulatorStartOptions): Promise<StartedEjm> {
  const data = generateDataset(options.scale, options.seed);
  const clientSecret = createHash('sha256').update(`ejm-sandbox-secret:${options.seed}`).digest('hex').slice(0, 40);
  const season = options.scale === 'season';
  const emulator = new EjmEmulator(data, { clientId: 'zz_sandbox', clientSecret }, { hashWorkers: season ? Math.max(1, availableParallelism() - 1) : 0 });
  const sandbox = await startSandbox(emulator.definition(), { port: options.port });
  if (season) emulator.warmUp();
  return {
    sandbox,
    emulator,
    ready: {
      provider: 'ejm',
      baseUrl: `${sandbox.baseUrl}/api/`,
      tokenUrl: `${sandbox.baseUrl}/token/`,
      authorizeUrl: null,
      clientId: emulator.credentials.clientId,
      clientSecret,
    },
    close: async () => {
      await emulator.close();
      await sandbox.close();
    },
  };
}

export const ejmEmulator: EmulatorFactory = { provider: 'ejm', start: startEjm };
