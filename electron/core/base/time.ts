/** The current instant as stored everywhere: UTC ISO-8601. */
export function nowIso(): string {
  return new Date().toISOString();
}
