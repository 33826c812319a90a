import type { z } from 'zod';
import type { ErrorCode } from '../errors.ts';

/** One request the UI can make: its input schema, its result schema and the errors it may return. */
export interface Endpoint<Input extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType> {
  readonly input: Input;
  readonly result: Result;
  readonly errors: readonly ErrorCode[];
}

export function endpoint<Input extends z.ZodType, Result extends z.ZodType>(
  definition: Endpoint<Input, Result>,
): Endpoint<Input, Result> {
  return definition;
}
