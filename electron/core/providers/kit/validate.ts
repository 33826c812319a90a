import type { z } from 'zod';
import { DossierError } from '../../base/errors.ts';

export interface Where {
  readonly provider: string;
  readonly endpoint: string;
  /** The account's zone, for dates the provider sends without one. */
  readonly timeZone: string;
}

/** A mapping error naming the provider, the endpoint and the offending field. */
export function malformed(where: Pick<Where, 'provider' | 'endpoint'>, field: string, why: string): DossierError {
  return new DossierError(
    'provider.malformed_response',
    `${where.provider} sent data Dossier cannot read (${where.endpoint}: ${field} ${why}). Nothing was changed; sync again later, and report it if it persists.`,
    { provider: where.provider, endpoint: where.endpoint, field },
  );
}

/** Parses with a schema, turning the first issue into a `provider.malformed_response` that names its field. */
export function parseAs<Schema extends z.ZodType>(schema: Schema, value: unknown, where: Pick<Where, 'provider' | 'endpoint'>, prefix = ''): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  let issue: z.core.$ZodIssue | undefined = parsed.error.issues[0];
  const segments: PropertyKey[] = [...(issue?.path ?? [])];
  // A union's own issue names only the union; the first alternative's issue names the field.
  while (issue?.code === 'invalid_union' && issue.errors[0]?.[0]) {
    issue = issue.errors[0][0];
    segments.push(...issue.path);
  }
  const path = [prefix, ...segments.map(String)].filter((part) => part !== '').join('.');
  throw malformed(where, path || 'body', issue?.message ?? 'has an unexpected shape');
}

/** Parses a body as JSON, refusing HTML error pages and other non-JSON with a clear error. */
export function parseJsonBody(text: string, where: Pick<Where, 'provider' | 'endpoint'>): unknown {
  if (nestingDepth(text) > maxNesting) throw malformed(where, 'body', `is nested deeper than ${maxNesting} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const looksHtml = /^\s*</.test(text);
    throw malformed(where, 'body', looksHtml ? 'is an HTML page, not JSON' : 'is not valid JSON');
  }
}

/** No provider reply nests deeper than this; refusing deeper input keeps every later step off the stack limit. */
const maxNesting = 64;

/** The deepest bracket nesting outside strings, found in one linear pass. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 92) index += 1;
      else if (char === 34) inString = false;
    } else if (char === 34) inString = true;
    else if (char === 123 || char === 91) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (char === 125 || char === 93) depth -= 1;
  }
  return deepest;
}
