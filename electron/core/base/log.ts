import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const secretKey = /token|secret|password|passphrase|authorization|cookie|^code$|code_verifier|assertion|client_assertion|filecontent/i;
const secretInText: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+(,\s*Bearer\s+[A-Za-z0-9._~+/=-]+)?/gi, '$1 [redacted]'],
  [/([?&#](?:access_token|refresh_token|id_token|code|client_secret|code_verifier|state|password)=)[^&#\s"']*/gi, '$1[redacted]'],
  [/("(?:access_token|refresh_token|id_token|client_secret|code|password)"\s*:\s*")[^"]*"/gi, '$1[redacted]"'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
];

/** Redacts at the logger so no call site can leak a secret by forgetting to. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return secretInText.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), value);
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1), code: (value as { code?: unknown }).code };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, secretKey.test(key) ? '[redacted]' : redact(item, depth + 1)]),
    );
  }
  return value;
}

/** A structured JSON-lines logger writing to a file in the data directory. */
export function fileLogger(file: string, base: Record<string, unknown> = {}, minLevel: LogLevel = 'info'): Logger {
  mkdirSync(dirname(file), { recursive: true });
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  const write = (level: LogLevel, event: string, fields: Record<string, unknown> = {}): void => {
    if (order[level] < order[minLevel]) return;
    const line = JSON.stringify(redact({ time: new Date().toISOString(), level, event, ...base, ...fields }));
    appendFileSync(file, `${line}\n`);
  };
  return {
    debug: (event, fields) => write('debug', event, fields),
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
    child: (fields) => fileLogger(file, { ...base, ...fields }, minLevel),
  };
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
