import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | object;
}

/**
 * A real HTTP server on 127.0.0.1 whose answers each test scripts, for checking exactly what
 * Dossier puts on the wire and how it reads each documented reply.
 */
export interface ScriptedServer {
  readonly url: string;
  readonly seen: SeenRequest[];
  answer: (request: SeenRequest) => Reply | Promise<Reply>;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const state: ScriptedServer = {
    url: '',
    seen: [],
    answer: () => ({ status: 404, body: { error: 'not scripted' } }),
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen: SeenRequest = { method: request.method ?? 'GET', url: new URL(request.url ?? '/', 'http://127.0.0.1'), headers: request.headers, body: Buffer.concat(chunks) };
      state.seen.push(seen);
      void Promise.resolve(state.answer(seen)).then((reply) => {
        const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
        response.writeHead(reply.status ?? 200, { 'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json', ...reply.headers });
        response.end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The parameters of a token request, whatever its encoding (urlencoded or multipart). */
export async function formFields(request: SeenRequest): Promise<Record<string, string>> {
  const type = String(request.headers['content-type'] ?? '');
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': type } }).formData();
    return Object.fromEntries([...form.entries()].map(([name, value]) => [name, String(value)]));
  }
  return Object.fromEntries(new URLSearchParams(request.body.toString()));
}
