import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { isTransactionOrigin, Server, type Extension } from '@hocuspocus/server';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { closeReasons, committeeRoutes } from '../../shared/committee.ts';
import { authenticate, Refusal } from './auth.ts';
import { openCluster } from './cluster.ts';
import { createRequestHandler } from './routes.ts';
import { openCommitteeStore } from './store.ts';

export interface CommitteeServerOptions {
  /** Holds committee-server.sqlite (SQLite, WAL): members, invites, Yjs documents. */
  dataDir: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 7341; 0 = any free port. */
  port?: number;
  /** When set: scale out through Redis (Hocuspocus extension-redis and a revocation channel). */
  redisUrl?: string;
  /** Default random; GET /v1/health answers it. */
  instanceName?: string;
  /** One line per event, never a secret. */
  log?: (line: string) => void;
}

export interface RunningCommitteeServer {
  /** http://host:port */
  readonly url: string;
  readonly instance: string;
  /** Closes every socket, stores every document, then closes the database and Redis. */
  close(): Promise<void>;
}

export const defaultCommitteePort = 7341;
export const committeeDatabaseFile = 'committee-server.sqlite';
/** A sync frame larger than this closes the socket: a committee's whole document of encrypted scores and notes is far smaller. */
const maxSyncFrameBytes = 8 * 1024 * 1024;

/** What a socket carries once its token was accepted. */
interface MemberContext {
  memberId?: string;
}

const packageJson = new URL('../../package.json', import.meta.url);

function serverVersion(): string {
  const parsed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

/** Where Redis is, without the password a URL may carry. */
const redisHost = (redisUrl: string | undefined): string => (redisUrl === undefined ? '' : new URL(redisUrl).host);

/** Who is on the other end of a socket, as the operator sees it: the proxy's forwarded address when there is one. */
const peerOf = (headers: Headers): string => headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'direct';

/**
 * Starts a committee server: the HTTP routes of shared/committee.ts and the Yjs sync socket at
 * /v1/sync, on one port. Documents are named by committee id; every update a member sends is
 * appended to SQLite before it is acknowledged (docs/committee-server.md).
 */
export async function startCommitteeServer(options: CommitteeServerOptions): Promise<RunningCommitteeServer> {
  const instance = options.instanceName ?? `instance-${randomBytes(6).toString('hex')}`;
  const log = options.log ?? (() => undefined);
  const store = openCommitteeStore(join(options.dataDir, committeeDatabaseFile));

  // Filled once the Hocuspocus server exists; a revocation that arrives before has no socket to close.
  const open: { server?: Server<MemberContext> } = {};
  const closeMember = (committeeId: string, memberId: string): void => {
    const document = open.server?.hocuspocus.documents.get(committeeId);
    for (const connection of document?.getConnections() ?? []) {
      if ((connection.context as MemberContext).memberId !== memberId) continue;
      connection.close({ code: 4403, reason: closeReasons.revoked });
    }
  };
  let cluster;
  try {
    cluster = await openCluster({ ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }), instance, closeMember });
  } catch (error) {
    store.close();
    throw new Error(`The committee server could not reach Redis at ${redisHost(options.redisUrl)}; start Redis or correct --redis. (${(error as Error).message})`, { cause: error });
  }
  const handleRequest = createRequestHandler({ store, cluster, instance, version: serverVersion(), log });

  const committee: Extension = {
    extensionName: 'dossier-committee',
    async onUpgrade({ request, socket }) {
      const path = new URL(request.url ?? '/', 'http://committee.invalid').pathname;
      if (path === committeeRoutes.sync) return;
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      // Hocuspocus reads a rejection without an error as "handled: stop here".
      throw null;
    },
    async onRequest({ request, response }) {
      await handleRequest(request, response);
      throw null;
    },
    async onAuthenticate({ token, documentName, requestHeaders }) {
      try {
        const member = authenticate(store, token, documentName);
        return { memberId: member.memberId } satisfies MemberContext;
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        log(`connection refused committee=${documentName} reason=${error.code} peer=${peerOf(requestHeaders)}`);
        // The reason reaches the provider's onAuthenticationFailed, so the app can say why rather than retry forever.
        throw { reason: error.code };
      }
    },
    async connected({ connection, documentName, context, requestHeaders }) {
      const memberId = (context as MemberContext).memberId as string;
      cluster.count(documentName, memberId, 1);
      log(`connection opened committee=${documentName} member=${memberId} peer=${peerOf(requestHeaders)}`);
      // A revocation that landed between the token check and now found no socket to close.
      if (store.member(memberId)?.revokedAt !== null) connection.close({ code: 4403, reason: closeReasons.revoked });
    },
    async onDisconnect({ documentName, context }) {
      const memberId = (context as MemberContext).memberId;
      if (memberId === undefined) return;
      cluster.count(documentName, memberId, -1);
      log(`connection closed committee=${documentName} member=${memberId}`);
    },
    async onLoadDocument({ document, documentName }) {
      // Registered before any member's update can reach the document, and synchronous: the update is
      // on disk before Hocuspocus acknowledges it. Updates another instance relayed through Redis
      // were stored by that instance; the stored state applied below has no transaction origin.
      document.on('update', (update: Uint8Array, origin: unknown) => {
        if (isTransactionOrigin(origin) && origin.source !== 'redis') store.appendUpdate(documentName, update);
      });
      return store.loadDocument(documentName) ?? undefined;
    },
    async onStoreDocument({ document, documentName }) {
      store.compactDocument(documentName, Y.encodeStateAsUpdate(document), new Date().toISOString());
    },
  };

  const extensions: Extension[] = [committee];
  if (options.redisUrl !== undefined) {
    const redisUrl = options.redisUrl;
    extensions.unshift(new RedisExtension({ identifier: instance, prefix: 'dossier-committee:sync', createClient: () => new Redis(redisUrl) }));
  }
  const server = new Server<MemberContext>({
    name: instance,
    address: options.host ?? '127.0.0.1',
    port: options.port ?? defaultCommitteePort,
    quiet: true,
    stopOnSignals: false,
    extensions,
    websocketOptions: { maxPayload: maxSyncFrameBytes },
  });
  open.server = server;
  const running = server;
  try {
    await new Promise<void>((resolve, reject) => {
      running.httpServer.once('error', reject);
      running.listen(options.port ?? defaultCommitteePort).then(() => resolve(), reject);
    });
  } catch (error) {
    await cluster.close();
    store.close();
    throw new Error(`The committee server could not listen on ${options.host ?? '127.0.0.1'}:${options.port ?? defaultCommitteePort}: ${(error as Error).message}. Choose another --port.`, { cause: error });
  }
  const address = running.address;
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;
  log(`listening url=${url} instance=${instance} storage=${join(options.dataDir, committeeDatabaseFile)}${options.redisUrl === undefined ? '' : ' redis=on'}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    instance,
    close: () => {
      closing ??= (async () => {
        await running.destroy();
        await cluster.close();
        store.close();
        log(`stopped instance=${instance}`);
      })();
      return closing;
    },
  };
}
