import { Agent, fetch as undiciFetch, FormData, type Dispatcher } from 'undici';
import { DossierError } from '../base/errors.ts';

/** How long a token-endpoint request may take before it counts as unreachable. */
export const tokenRequestTimeoutMs = 30_000;

/** The keep-alive connection pool a core's provider requests share; the auth service that made it closes it. */
export function providerConnectionPool(): Agent {
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, connections: 16 });
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** Turns a failure to reach a server into `network.unreachable`; anything else is passed through. */
export function asNetworkError(error: unknown, provider: string, endpoint: string): unknown {
  if (error instanceof DossierError) return error;
  if ((error as { name?: string }).name === 'TimeoutError') {
    return new DossierError('network.unreachable', 'The provider did not answer in time. Check the connection, then try again.', { provider, endpoint }, { cause: error });
  }
  if ((error as { name?: string }).name === 'AbortError') return error;
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause !== undefined && cause !== null; depth += 1) {
    const code = (cause as { code?: string }).code;
    if (code !== undefined && networkCodes.has(code)) {
      return new DossierError('network.unreachable', 'Dossier could not reach the provider. Check the connection (and the base URL), then try again.', {
        provider,
        endpoint,
        cause: code,
      }, { cause: error });
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return error;
}

/**
 * The fetch oauth4webapi uses: undici on our keep-alive dispatcher, with the provider's headers
 * (The Job Space's versioned Accept) and, where the provider documents it, a multipart body.
 */
export function providerFetch(dispatcher: Dispatcher, headers: Readonly<Record<string, string>>, body: 'urlencoded' | 'multipart') {
  return async (url: string, options: { body?: unknown; headers: Record<string, string>; method: string; redirect: 'manual'; signal?: AbortSignal }): Promise<Response> => {
    const merged: Record<string, string> = { ...options.headers, ...headers };
    let requestBody = options.body as URLSearchParams | FormData | undefined;
    if (body === 'multipart' && requestBody instanceof URLSearchParams) {
      const form = new FormData();
      for (const [name, value] of requestBody) form.append(name, value);
      requestBody = form;
      delete merged['content-type'];
    }
    const response = await undiciFetch(url, { method: options.method, headers: merged, body: requestBody, redirect: 'manual', signal: options.signal, dispatcher });
    return response as unknown as Response;
  };
}
