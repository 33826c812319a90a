import type { Command } from 'commander';
import { providerIds, type ProviderId } from '../../../shared/domain.ts';
import { DossierError } from '../../core/base/errors.ts';
import { loadSandboxes } from '../../host/sandboxes.ts';
import type { CommandContext } from '../io.ts';
import { untilInterrupted } from '../signals.ts';

/** `dossier sandbox PROVIDER`: runs one provider emulator until SIGINT/SIGTERM (docs/architecture.md, the command line). */
export function registerSandbox(program: Command, context: () => CommandContext): void {
  program
    .command('sandbox')
    .argument('<provider>', `one of ${providerIds.filter((id) => id !== 'oauth2').join(', ')}, or a bundled manifest's practice server (e.g. greenhouse)`)
    .option('--port <n>', 'port on 127.0.0.1 (default: a free one)')
    .option('--scale <scale>', 'dataset size: small, medium or season', 'small')
    .option('--seed <n>', 'dataset seed (default: the sandboxes\' own)')
    .option('--strictness <switches>', 'where the documentation is silent, which behaviour to serve, e.g. pageCap=25,redirect=exact (see the emulator\'s README)')
    .action(async (provider: string, options: { port?: string; scale: string; seed?: string; strictness?: string }) => {
      const ctx = context();
      const { defaultSeed, emulators, parseStrictness, practiceServers, scales } = await loadSandboxes();
      const load = (providerIds.includes(provider as ProviderId) ? emulators[provider as ProviderId] : undefined) ?? (Object.hasOwn(practiceServers, provider) ? practiceServers[provider] : undefined);
      if (!load) {
        throw new DossierError('input.invalid', `There is no sandbox for "${provider}". Choose one of: ${[...Object.keys(emulators), ...Object.keys(practiceServers)].join(', ')}.`);
      }
      const scale = scales.find((known) => known === options.scale);
      if (scale === undefined) throw new DossierError('input.invalid', `Unknown scale "${options.scale}". Choose ${scales.join(' or ')}.`);
      const port = options.port === undefined ? undefined : integerOption('--port', options.port, 0, 65535);
      const seed = options.seed === undefined ? defaultSeed : integerOption('--seed', options.seed, 0, 2 ** 32 - 1);
      const strictness = strictnessOption(parseStrictness, options.strictness ?? '');
      const started = await (await load()).start({ port, scale, seed, strictness });
      ctx.stdout.write(`${JSON.stringify(started.ready)}\n`);
      await untilInterrupted();
      await started.close();
    });
}

function strictnessOption<Profile>(parse: (text: string) => Profile, text: string): Profile {
  try {
    return parse(text);
  } catch (error) {
    throw new DossierError('input.invalid', `--strictness: ${(error as Error).message}.`);
  }
}

function integerOption(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new DossierError('input.invalid', `${name} must be a whole number from ${min} to ${max}, got "${value}".`);
  return number;
}
