import { isApiName, parseInput, type ApiName, type ApiParsedInput, type ApiResult } from '../../../shared/contract.ts';
import type { DossierErrorValue } from '../../../shared/errors.ts';
import { toErrorValue } from '../base/errors.ts';
import type { Logger } from '../base/log.ts';

export type Handler<Name extends ApiName> = (input: ApiParsedInput<Name>) => Promise<ApiResult<Name>> | ApiResult<Name>;

/** A group of handlers for some of the contract's names; each area of the core provides one. */
export type HandlerGroup<Names extends ApiName> = { [Name in Names]: Handler<Name> };

/** Every name in the contract must have a handler: the type checker refuses a missing one. */
export type Handlers = HandlerGroup<ApiName>;

export type DispatchOutcome = { ok: true; result: unknown } | { ok: false; error: DossierErrorValue };

/**
 * The single entry point both hosts use: checks the name, validates the input against the
 * contract's schema, runs the handler, and turns every failure into an error value.
 */
export async function dispatch(handlers: Handlers, name: unknown, input: unknown, log: Logger): Promise<DispatchOutcome> {
  if (!isApiName(name)) {
    return { ok: false, error: { code: 'input.invalid', message: `Unknown request ${JSON.stringify(String(name)).slice(0, 80)}.` } };
  }
  const parsed = parseInput(name, input);
  if (!parsed.ok) return { ok: false, error: { code: 'input.invalid', message: parsed.message } };
  try {
    const handler = handlers[name] as Handler<typeof name>;
    return { ok: true, result: await handler(parsed.value) };
  } catch (error) {
    const value = toErrorValue(error);
    log.warn('api.error', { name, code: value.code, detail: value.detail, error });
    return { ok: false, error: value.detail === undefined || value.code === 'internal' ? { code: value.code, message: value.message } : value };
  }
}
