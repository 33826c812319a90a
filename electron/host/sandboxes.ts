import type { ProviderId } from '../../shared/domain.ts';
import type { DemoScale, RunningSandbox, SandboxLauncher } from '../core/demo/service.ts';
import type * as Sandboxes from '../sandbox/index.ts';

/**
 * The one door from the hosts to the provider sandboxes (electron/sandbox/). They are loaded
 * here, on first use only: a host that never starts the demo or `dossier sandbox` never loads them
 * (docs/decisions/0005-sandboxes.md).
 */
export function loadSandboxes(): Promise<typeof Sandboxes> {
  return import('../sandbox/index.ts');
}

/** Asks a running sandbox's control endpoint (`/__sandbox/<name>`) for something only a sandbox hands out. */
async function control(baseUrl: string, name: string): Promise<unknown> {
  const response = await fetch(`${new URL(baseUrl).origin}/__sandbox/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return response.json();
}

/**
 * Does at a sandbox's consent page what the user would: signs in as the sandbox user the sandbox
 * names (`/__sandbox/demo-user`), approves, and follows the redirect to Dossier's loopback listener.
 */
async function consentOnBehalf(baseUrl: string, authorizeUrl: string): Promise<void> {
  const user = (await control(baseUrl, 'demo-user')) as { login: string; password: string };
  const page = new URL(authorizeUrl);
  const form = new URLSearchParams(page.searchParams);
  form.set('username', user.login);
  form.set('password', user.password);
  form.set('decision', 'allow');
  const approved = await fetch(`${page.origin}${page.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  const location = approved.headers.get('location');
  if (approved.status !== 302 && approved.status !== 303) throw new Error(`the sandbox's consent page answered ${approved.status}, not a redirect`);
  if (location === null) throw new Error('the sandbox approved the consent but sent no redirect');
  // Not awaited: the loopback listener answers only once the sign-in it waits for has finished, which this call is part of. Its outcome is the sign-in's.
  void fetch(location).then((reply) => reply.arrayBuffer(), () => undefined);
}

/** The demo's view of the sandboxes, for the core's DemoService. */
export async function sandboxLauncher(): Promise<SandboxLauncher> {
  const { defaultSeed, emulators } = await loadSandboxes();
  return {
    providers: Object.keys(emulators) as ProviderId[],
    defaultSeed,
    async start(provider: ProviderId, options: { scale: DemoScale; seed: number; port?: number | undefined }): Promise<RunningSandbox> {
      const load = emulators[provider];
      if (load === undefined) throw new Error(`there is no sandbox for ${provider}`);
      const started = await (await load()).start({ scale: options.scale, seed: options.seed, ...(options.port === undefined ? {} : { port: options.port }) });
      const { ready } = started;
      return {
        address: { baseUrl: ready.baseUrl, tokenUrl: ready.tokenUrl, authorizeUrl: ready.authorizeUrl, clientId: ready.clientId, clientSecret: ready.clientSecret },
        personalToken: async () => ((await control(ready.baseUrl, 'personal-token')) as { accessToken: string }).accessToken,
        consent: (authorizeUrl) => consentOnBehalf(ready.baseUrl, authorizeUrl),
        close: () => started.close(),
      };
    },
  };
}
