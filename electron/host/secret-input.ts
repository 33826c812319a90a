import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable, type Readable } from 'node:stream';
import { DossierError } from '../core/base/errors.ts';
import { FileVault } from './file-vault.ts';

/** The streams and environment a secret may come from (the command line's, or a test's). */
export interface SecretSource {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** Everything piped to standard input, without the trailing newline. */
export async function readPiped(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Asks for a secret on the terminal without echoing it. */
export async function promptHidden(source: SecretSource, question: string): Promise<string> {
  source.stderr.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const readline = createInterface({ input: source.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      readline.once('line', resolve);
      readline.once('close', () => reject(new DossierError('input.invalid', 'No value was typed.')));
    });
  } finally {
    readline.close();
    source.stderr.write('\n');
  }
}

/**
 * A secret from its environment variable, else from piped standard input, else typed at the
 * terminal when `prompt` is given. Never from the command line's arguments, which other users
 * of the machine can read.
 */
export async function readSecret(source: SecretSource, variable: string, prompt: string | undefined): Promise<string | undefined> {
  const fromEnv = source.env[variable];
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  if (source.stdin.isTTY === true) return prompt === undefined ? undefined : promptHidden(source, prompt);
  const piped = await readPiped(source.stdin);
  return piped.length > 0 ? piped : undefined;
}

/** Opens the encrypted-file vault (command line and browser host) with the passphrase from DOSSIER_PASSPHRASE or the terminal. */
export async function openCliVault(source: SecretSource, file: string): Promise<FileVault> {
  const fromEnv = source.env.DOSSIER_PASSPHRASE;
  let passphrase = fromEnv;
  if (passphrase === undefined || passphrase.length === 0) {
    if (source.stdin.isTTY !== true) {
      throw new DossierError('vault.locked', 'Dossier keeps secrets in an encrypted vault: set DOSSIER_PASSPHRASE to its passphrase (or run this in a terminal to type it).');
    }
    passphrase = await promptHidden(source, 'Vault passphrase: ');
    // A new vault's passphrase is typed twice: a typo would otherwise lock its secrets away.
    if (!existsSync(file) && (await promptHidden(source, 'Type it again: ')) !== passphrase) {
      throw new DossierError('input.invalid', 'The two passphrases differ; nothing was saved. Try again.');
    }
  }
  return FileVault.open(file, passphrase);
}
