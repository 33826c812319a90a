import jsonata from 'jsonata';
import type { z } from 'zod';
import { DossierError } from '../../base/errors.ts';
import { Manifest, resourceNames } from './schema.ts';

/** A manifest is a page of JSON; anything this large is not one (and would cost the parser and the form). */
export const maxManifestBytes = 256 * 1024;

/**
 * Every evaluation runs inside JSONata's own guardrails: a wall-clock budget, a depth limit and a
 * longest sequence, so an expression that never ends (or recurses, or builds huge lists) fails
 * with its manifest path instead of hanging the sync. The budget is wall-clock time, so it must
 * also outlast a loaded machine's pauses (a garbage collection, two cores shared by a whole test
 * suite): 250 ms failed an innocent mapping that takes microseconds; 2 s still stops a loop at once.
 */
export const evaluationLimits = { timeout: 2000, stack: 200, sequence: 100_000 } as const;

/** A compiled expression and the manifest path it came from, for every message about it. */
export interface CompiledExpression {
  readonly path: string;
  readonly expression: jsonata.Expression;
}

/** Each manifest's compiled expressions by their path (`resources.jobs.map.title`). */
const compiledByManifest = new WeakMap<Manifest, ReadonlyMap<string, CompiledExpression>>();

/**
 * Reads a manifest file's text: JSON, then the schema, then every expression compiled. Every
 * refusal is an `input.invalid` naming the file and the dotted path of what is wrong.
 */
export function loadManifest(text: string, source: string): Manifest {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxManifestBytes) {
    throw invalid(source, '', `is ${Math.ceil(bytes / 1024)} KB; a manifest may be at most ${maxManifestBytes / 1024} KB. Check that this is the manifest and not a data file.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    throw invalid(source, '', `is not valid JSON (${(error as Error).message}). Fix the syntax at that line and column.`);
  }
  const parsed = Manifest.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw invalid(source, path, message);
  }
  const manifest = parsed.data;
  try {
    compiledExpressions(manifest);
  } catch (error) {
    if (error instanceof ExpressionError) throw invalid(source, error.path, error.message);
    throw error;
  }
  checkReferences(manifest, source);
  return manifest;
}

function invalid(source: string, path: string, message: string): DossierError {
  return new DossierError('input.invalid', `${source}: ${path === '' ? '' : `${path}: `}${message}`, { path, source });
}

/** The first schema issue, as the dotted path a user finds in the file and zod's words for it. */
function firstIssue(error: z.ZodError): { path: string; message: string } {
  let issue: z.core.$ZodIssue | undefined = error.issues[0];
  const segments: PropertyKey[] = [...(issue?.path ?? [])];
  // A union's own issue names only the union; its first alternative's issue names the field.
  for (;;) {
    if (issue?.code === 'invalid_union' && issue.errors[0]?.[0]) issue = issue.errors[0][0];
    // A record key's own issue says only "Invalid key"; the key's refinement says why.
    else if (issue?.code === 'invalid_key' && issue.issues[0]) issue = issue.issues[0];
    else break;
    segments.push(...issue.path);
  }
  return { path: segments.map(String).join('.'), message: issue === undefined ? 'is not what the manifest format allows' : plainWords(issue) };
}

/** Zod's generic wording ("Invalid input: expected string, received undefined") as a person fixing a file reads it. */
function plainWords(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return issue.input === undefined ? `is required (${issue.expected})` : `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, not ${describeInput(issue.input)}`;
  if (issue.code === 'unrecognized_keys') return `has ${issue.keys.map((key) => `"${key}"`).join(', ')}, which the manifest format does not know (check the spelling)`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  return issue.message;
}

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'object' ? 'an object' : `${typeof input} ${JSON.stringify(input).slice(0, 40)}`;
}

class ExpressionError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

/**
 * Every expression of the manifest compiled, by path. Regular expressions and `$eval` are refused:
 * JSONata's guardrails are checked between its own steps, and a regular expression runs inside one
 * step in the JavaScript engine, where a pathological pattern cannot be stopped.
 */
export function compiledExpressions(manifest: Manifest): ReadonlyMap<string, CompiledExpression> {
  const cached = compiledByManifest.get(manifest);
  if (cached) return cached;
  const compiled = new Map<string, CompiledExpression>();
  const add = (path: string, text: string | undefined): void => {
    if (text === undefined) return;
    let expression: jsonata.Expression;
    try {
      expression = jsonata(text, evaluationLimits);
    } catch (error) {
      const { message, position } = error as { message?: string; position?: number };
      throw new ExpressionError(path, `is not a valid JSONata expression (${message ?? String(error)}${position === undefined ? '' : ` at character ${position}`}).`);
    }
    const refused = refusedConstruct(expression.ast());
    if (refused) throw new ExpressionError(path, `uses ${refused}, which a manifest may not (it cannot be time-limited). Use $contains, $split, $substringBefore or $substringAfter instead.`);
    compiled.set(path, { path, expression });
  };
  for (const name of resourceNames) {
    const resource = manifest.resources[name];
    if (!resource) continue;
    const base = `resources.${name}`;
    add(`${base}.items`, resource.items);
    add(`${base}.total`, resource.total);
    if (resource.paging.style === 'cursor') add(`${base}.paging.next`, resource.paging.next);
    for (const [field, text] of Object.entries(resource.map)) add(`${base}.map.${field}`, text);
  }
  compiledByManifest.set(manifest, compiled);
  return compiled;
}

function refusedConstruct(node: jsonata.ExprNode): string | undefined {
  // The parser names these nodes `regex` (jsonata.d.ts says `regexp`).
  if ((node.type as string) === 'regex' || node.type === 'regexp') return 'a regular expression';
  if (node.type === 'variable' && node.value === 'eval') return '$eval';
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value.flat() : [value];
    for (const child of children) {
      if (child !== null && typeof child === 'object' && typeof (child as { type?: unknown }).type === 'string') {
        const found = refusedConstruct(child as jsonata.ExprNode);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** `forEach` and `within` must name a resource the manifest has, and must not go round in a circle. */
function checkReferences(manifest: Manifest, source: string): void {
  for (const name of resourceNames) {
    const resource = manifest.resources[name];
    if (!resource) continue;
    const field = resource.forEach !== undefined ? 'forEach' : resource.within !== undefined ? 'within' : undefined;
    if (field === undefined) continue;
    const seen = new Set([name]);
    let next = resource[field];
    while (next !== undefined) {
      const parent = manifest.resources[next];
      if (!parent) throw invalid(source, `resources.${name}.${field}`, `names ${next}, which this manifest does not describe.`);
      if (seen.has(next)) throw invalid(source, `resources.${name}.${field}`, 'goes round in a circle of forEach/within references.');
      seen.add(next);
      next = parent.forEach ?? parent.within;
    }
  }
}
