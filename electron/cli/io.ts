import type { Writable } from 'node:stream';
import type { Readable } from 'node:stream';

/** Everything a command may touch of the outside world, injected so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

export interface GlobalOptions {
  readonly dataDir: string;
  readonly json: boolean;
}

export interface CommandContext extends CliIo, GlobalOptions {
  /** Prints the JSON document under --json, the human text otherwise. */
  print(value: unknown, human: string): void;
}

export function createContext(io: CliIo, options: GlobalOptions): CommandContext {
  return {
    ...io,
    ...options,
    print(value, human) {
      io.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : human.endsWith('\n') ? human : `${human}\n`);
    },
  };
}
