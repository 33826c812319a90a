/**
 * Strictness profiles. Where a provider's documentation is silent or ambiguous, an emulator offers
 * each plausible behaviour as a profile, so the connectors are tested against all of them rather
 * than against the one guess the emulator and the connector happened to share. Every switch is a
 * modelled assumption, labelled in the emulator's README with the passage it rests on.
 */

/** Largest page a server returns whatever the client asks for; null = exactly what was asked. */
export const pageCaps = [10, 25, 50, 100, null] as const;
export type PageCap = (typeof pageCaps)[number];

/**
 * How the authorization server compares a request's `redirect_uri` with the registered one:
 * `loopback` accepts any port on a registered loopback URI (RFC 8252 §7.3); `exact` demands the
 * registered URI character for character, port and path included (RFC 9700 §2.1, what a server
 * that never read RFC 8252 does).
 */
export const redirectMatchings = ['loopback', 'exact'] as const;
export type RedirectMatching = (typeof redirectMatchings)[number];

/** The Job Space's two API generations (docs/providers/reference.md §4). */
export const jobspaceBoards = ['2017-05', 'current'] as const;
/** A CareerPlug integration: a partner one with `global_partner_api`, or a customer's own custom one. */
export const careerplugIntegrations = ['partner', 'custom'] as const;
/** What JyMob answers when asked for the applications of a post that is not the account's. */
export const jymobForeignPostStatuses = [401, 403, 404] as const;
/**
 * What JyMob's `screening_tests?job_post_id=` does: `perPost` lists the tests taken for the caller's
 * post, `ownOnly` ignores the filter and lists the caller's own tests (all the guide documents),
 * `absent` answers 404 (no such list for employers).
 */
export const jymobScreeningTestListings = ['perPost', 'ownOnly', 'absent'] as const;

export interface StrictnessProfile {
  readonly pageCap?: PageCap;
  readonly redirect?: RedirectMatching;
  readonly board?: (typeof jobspaceBoards)[number];
  readonly integration?: (typeof careerplugIntegrations)[number];
  readonly foreignPost?: (typeof jymobForeignPostStatuses)[number];
  readonly screeningTests?: (typeof jymobScreeningTestListings)[number];
}

/** The page size a capped server serves: what was asked (or its default), never above the cap. */
export function servedPageSize(requested: number | undefined, fallback: number, cap: PageCap | undefined, emulatorCap: PageCap): number {
  const asked = requested ?? fallback;
  const limit = cap === undefined ? emulatorCap : cap;
  return limit === null ? asked : Math.min(asked, limit);
}

const switches: Readonly<Record<keyof StrictnessProfile, readonly (string | number | null)[]>> = {
  pageCap: pageCaps,
  redirect: redirectMatchings,
  board: jobspaceBoards,
  integration: careerplugIntegrations,
  foreignPost: jymobForeignPostStatuses,
  screeningTests: jymobScreeningTestListings,
};

/**
 * Reads `pageCap=25,redirect=exact` (the `dossier sandbox --profile` option); `none` is the
 * uncapped page size. Unknown keys or values are refused naming what is allowed.
 */
export function parseStrictness(text: string): StrictnessProfile {
  const profile: Record<string, unknown> = {};
  for (const pair of text.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
    const [key = '', value = ''] = pair.split('=', 2).map((part) => part.trim());
    const allowed = (switches as Record<string, readonly (string | number | null)[] | undefined>)[key];
    if (allowed === undefined) throw new Error(`unknown strictness switch "${key}": use ${Object.keys(switches).join(', ')}`);
    const match = allowed.find((candidate) => (candidate === null ? 'none' : String(candidate)) === value);
    if (match === undefined) throw new Error(`${key} must be one of ${allowed.map((candidate) => (candidate === null ? 'none' : String(candidate))).join(', ')}, not "${value}"`);
    profile[key] = match;
  }
  return profile as StrictnessProfile;
}
