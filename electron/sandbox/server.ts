import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultSwitch, type FaultSettings } from './faults.ts';

export interface RequestContext {
  readonly url: URL;
  readonly method: string;
  readonly faults: FaultSwitch;
  /** Reads the whole request body (emulators only accept small bodies). */
  body(): Promise<Buffer>;
}

export type RouteHandler = (request: IncomingMessage, response: ServerResponse, context: RequestContext) => Promise<void> | void;

/** What a provider emulator gives the harness. */
export interface EmulatorDefinition {
  readonly provider: string;
  /** Handles every request that is not a `/__sandbox/` control request. */
  readonly handle: RouteHandler;
  /** Provider-specific control actions, reachable as POST /__sandbox/<name> with a JSON body. */
  readonly controls?: Record<string, (body: Record<string, unknown>) => unknown>;
}

export interface RunningSandbox {
  readonly provider: string;
  readonly baseUrl: string;
  readonly port: number;
  readonly faults: FaultSwitch;
  /** Requests served per "METHOD path" (query stripped), for tests that assert on traffic. */
  readonly stats: Map<string, number>;
  close(): Promise<void>;
}

/** An API refusal an emulator answers with its provider's documented status and error code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const maxBodyBytes = 25 * 1024 * 1024;

/**
 * Starts an emulator on 127.0.0.1 (never another interface), on the given port or an ephemeral one.
 * Control requests under /__sandbox/: GET stats, GET traffic (what the load switches saw), POST faults (merge), POST reset-faults, and the
 * emulator's own controls (mutate, revoke, …).
 */
export async function startSandbox(definition: EmulatorDefinition, options: { port?: number } = {}): Promise<RunningSandbox> {
  const faults = new FaultSwitch();
  const stats = new Map<string, number>();
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    let bodyPromise: Promise<Buffer> | undefined;
    const context: RequestContext = {
      url,
      method,
      faults,
      body: () => (bodyPromise ??= readBody(request)),
    };
    const handle = url.pathname.startsWith('/__sandbox/')
      ? () => control(definition, faults, stats, request, response, context)
      : () => {
          const key = `${method} ${url.pathname}`;
          stats.set(key, (stats.get(key) ?? 0) + 1);
          return definition.handle(request, response, context);
        };
    Promise.resolve()
      .then(handle)
      .catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(`emulator error: ${error instanceof Error ? error.message : String(error)}`);
        } else {
          response.destroy();
        }
      });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    provider: definition.provider,
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    faults,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function control(
  definition: EmulatorDefinition,
  faults: FaultSwitch,
  stats: Map<string, number>,
  request: IncomingMessage,
  response: ServerResponse,
  context: RequestContext,
): Promise<void> {
  const name = context.url.pathname.slice('/__sandbox/'.length);
  const reply = (status: number, value: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(value));
  };
  if (context.method === 'GET' && name === 'stats') return reply(200, Object.fromEntries(stats));
  if (context.method === 'GET' && name === 'traffic') return reply(200, faults.traffic);
  if (context.method !== 'POST') return reply(405, { error: 'control requests are POST' });
  const raw = (await context.body()).toString('utf8');
  let body: Record<string, unknown>;
  try {
    body = raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
  } catch {
    return reply(400, { error: 'control body must be JSON' });
  }
  if (name === 'faults') return reply(200, faults.set(body as Partial<FaultSettings>));
  if (name === 'reset-faults') {
    faults.clear();
    stats.clear();
    return reply(200, faults.settings);
  }
  const action = definition.controls?.[name];
  if (!action) return reply(404, { error: `no control named ${name}` });
  return reply(200, (await action(body)) ?? { ok: true });
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Sends a complete body, applying the counted body faults: an HTML page instead of the
 * documented body, a body cut off halfway, or a connection reset mid-body.
 */
export function sendBody(
  response: ServerResponse,
  context: RequestContext,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
): void {
  if (context.faults.take('malformed')) return sendMalformedPage(response);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (context.faults.take('reset')) {
    response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
    response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => response.destroy());
    return;
  }
  if (context.faults.take('truncate')) {
    response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
    response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => response.socket?.end());
    return;
  }
  response.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  response.end(bytes);
}

/** The HTML page a proxy in front of the API answers with when the documented body is replaced (the `malformed` fault). */
export function sendMalformedPage(response: ServerResponse): void {
  const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
  response.writeHead(502, { 'content-type': 'text/html' });
  response.end(page);
}

export function sendJson(response: ServerResponse, context: RequestContext, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendBody(response, context, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(value));
}

/** Applies latency, the load limits, the rate limit and a 5xx storm; true when the request was answered here. */
export async function applyRequestFaults(
  response: ServerResponse,
  context: RequestContext,
  throttleReply: (response: ServerResponse) => void,
): Promise<boolean> {
  const { latencyMs, retryAfterSeconds, errorStatus } = context.faults.settings;
  const arrival = context.faults.arrive();
  // Whichever comes first: 'finish' as the last byte is handed to the socket, before the client can have it.
  response.once('finish', arrival.leave);
  response.once('close', arrival.leave);
  if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
  if (context.faults.rateLimited() || arrival.refused) {
    context.faults.sentTooManyRequests();
    response.writeHead(429, { 'content-type': 'application/json', ...(retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) }) });
    response.end(JSON.stringify({ error: 'Too Many Requests' }));
    return true;
  }
  if (context.faults.take('throttle')) {
    throttleReply(response);
    return true;
  }
  if (context.faults.take('errorStorm')) {
    response.writeHead(errorStatus, { 'content-type': 'text/html' });
    response.end(`<html><body><h1>${errorStatus} Service Unavailable</h1></body></html>`);
    return true;
  }
  return false;
}
