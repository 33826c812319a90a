import { createHash } from 'node:crypto';
import type { EmulatorFactory, EmulatorStartOptions, StartedEmulator } from '../../../sandbox/registry.ts';
import { startSandbox } from '../../../sandbox/server.ts';
import { generateDataset } from './dataset.ts';
import { EjmEmulator } from './server.ts';

export interface StartedEjm extends StartedEmulator {
  readonly emulator: EjmEmulator;
}

/** Starts the EconJobMarket emulator: API under `/api/`, client-credentials token at `/token/`. */
export async function startEjm(options: EmulatorStartOptions): Promise<StartedEjm> {
  const data = generateDataset(options.scale, options.seed);
  const clientSecret = createHash('sha256').update(`ejm-sandbox-secret:${options.seed}`).digest('hex').slice(0, 40);
  const emulator = new EjmEmulator(data, { clientId: 'zz_sandbox', clientSecret });
  const sandbox = await startSandbox(emulator.definition(), { port: options.port });
  if (options.scale === 'season') emulator.warmUp();
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
    close: () => {
      emulator.close();
      return sandbox.close();
    },
  };
}

export const ejmEmulator: EmulatorFactory = { provider: 'ejm', start: startEjm };
