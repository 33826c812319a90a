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

const secretKey = /token|secret|password|passphrase|authorization|cookie|code_verifier|assertion|client_assertion|filecontent/i;

/**
 * `code` names both an error code (`auth.expired`, `SQLITE_BUSY`, `ENOSPC`, `invalid_grant`, 429),
 * which the log must keep, and an OAuth authorization code, which it must not. Error codes have
 * these shapes; an authorization code is an opaque random string and has none of them.
 */
const errorCodeShape = /^(?:[a-z][a-z0-9]*(?:[._][a-z0-9]+)+|[A-Z]{1,12}(?:_[A-Z0-9]+)*|\d{1,5})$/;

function redactedCode(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  return (typeof value === 'string' && errorCodeShape.test(value)) || (typeof value === 'number' && Number.isInteger(value)) ? value : '[redacted]';
}

const secretInText: readonly [RegExp, string | ((...groups: string[]) => string)][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+(,\s*Bearer\s+[A-Za-z0-9._~+/=-]+)?/gi, '$1 [redacted]'],
  [/([?&#](?:access_token|refresh_token|id_token|code|client_secret|code_verifier|state|password)=)[^&#\s"']*/gi, '$1[redacted]'],
  [/("(?:access_token|refresh_token|id_token|client_secret|password)"\s*:\s*")[^"]*"/gi, '$1[redacted]"'],
  [/("code"\s*:\s*")([^"]*)"/gi, (_match, key = '', value = '') => `${key}${String(redactedCode(value))}"`],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]'],
];

function redactText(text: string): string {
  let redacted = text;
  for (const [pattern, replacement] of secretInText) {
    redacted = typeof replacement === 'string' ? redacted.replace(pattern, replacement) : redacted.replace(pattern, replacement);
  }
  return redacted;
}

/** Redacts at the logger so no call site can leak a secret by forgetting to. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1), code: redactedCode((value as { code?: unknown }).code) };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, key.toLowerCase() === 'code' ? redactedCode(item) : secretKey.test(key) ? '[redacted]' : redact(item, depth + 1)]),
    );
  }
  return value;
}

/** A structured JSON-lines logger writing to a file in the data directory. */
export function fileLogger(file: string, base: Record<string, unknown> = {}, minLevel: LogLevel = 'info'): Logger {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  const write = (level: LogLevel, event: string, fields: Record<string, unknown> = {}): void => {
    if (order[level] < order[minLevel]) return;
    const line = JSON.stringify(redact({ time: new Date().toISOString(), level, event, ...base, ...fields }));
    appendFileSync(file, `${line}\n`, { mode: 0o600 });
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
