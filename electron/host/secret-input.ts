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

/** What the file vault says when no passphrase can be had: in the app's terms, since the browser host and the desktop app have no terminal. */
export function passphraseNeeded(): DossierError {
  return new DossierError(
    'vault.locked',
    'No system keyring is available, so Dossier keeps sign-ins in a file protected by a passphrase, and none was given. ' +
      'Quit Dossier and start it again from a terminal to type it (`dossier serve`), or set DOSSIER_PASSPHRASE. ' +
      'Everything already synced stays readable meanwhile, and the demo workspace needs no passphrase.',
  );
}

/**
 * Opens the encrypted-file vault with the passphrase from DOSSIER_PASSPHRASE or the terminal. A
 * wrong passphrase is refused and the file left as it is; a damaged file is set aside (kept, and
 * `notify` says where) and a new vault started, so each account signs in again and nothing else changes.
 */
export async function openFileVault(source: SecretSource, file: string, notify: (message: string) => void): Promise<FileVault> {
  const fromEnv = source.env.DOSSIER_PASSPHRASE;
  let passphrase = fromEnv;
  if (passphrase === undefined || passphrase.length === 0) {
    if (source.stdin.isTTY !== true) throw passphraseNeeded();
    passphrase = await promptHidden(source, 'Vault passphrase: ');
    // A new vault's passphrase is typed twice: a typo would otherwise lock its secrets away.
    if (!existsSync(file) && (await promptHidden(source, 'Type it again: ')) !== passphrase) {
      throw new DossierError('input.invalid', 'The two passphrases differ; nothing was saved. Try again.');
    }
  }
  try {
    return await FileVault.open(file, passphrase);
  } catch (error) {
    if (!(error instanceof DossierError && error.code === 'vault.damaged')) throw error;
    const aside = FileVault.setAside(file, 'damaged');
    notify(`The secret vault ${file} is damaged, so a new one is started and each account signs in again; your cached data is untouched. The damaged file is kept as ${aside ?? file}.`);
    return FileVault.open(file, passphrase);
  }
}
