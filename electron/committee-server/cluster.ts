import { Redis } from 'ioredis';

/**
 * What the instances of one deployment tell each other beyond the Yjs updates (those travel through
 * @hocuspocus/extension-redis): which members have a socket open, and which member was just revoked
 * so that every instance closes that member's sockets. Without Redis there is one instance and this
 * is all local.
 */
export interface Cluster {
  /** A socket of this member opened (`+1`) or closed (`-1`) on this instance. */
  count(committeeId: string, memberId: string, change: 1 | -1): void;
  /** The members of `committeeId` with a socket open on any instance. */
  connected(committeeId: string): Promise<Set<string>>;
  /** Tells every instance (this one included) to close `memberId`'s sockets. */
  revoked(committeeId: string, memberId: string): Promise<void>;
  close(): Promise<void>;
}

const revocationChannel = 'dossier-committee:revocations';
const presenceKey = (committeeId: string) => `dossier-committee:presence:${committeeId}`;
/** A crashed instance's members stop counting as connected after this long. */
const presenceLifetimeMs = 30_000;
const presenceRefreshMs = 10_000;

export async function openCluster(options: { redisUrl?: string; instance: string; closeMember: (committeeId: string, memberId: string) => void }): Promise<Cluster> {
  const local = new Map<string, Map<string, number>>();
  const localMembers = (committeeId: string) => new Set(local.get(committeeId)?.keys() ?? []);
  const countLocally = (committeeId: string, memberId: string, change: 1 | -1): number => {
    const members = local.get(committeeId) ?? new Map<string, number>();
    const sockets = (members.get(memberId) ?? 0) + change;
    if (sockets > 0) members.set(memberId, sockets);
    else members.delete(memberId);
    if (members.size > 0) local.set(committeeId, members);
    else local.delete(committeeId);
    return sockets;
  };

  if (options.redisUrl === undefined) {
    return {
      count: (committeeId, memberId, change) => void countLocally(committeeId, memberId, change),
      connected: (committeeId) => Promise.resolve(localMembers(committeeId)),
      revoked: (committeeId, memberId) => Promise.resolve(options.closeMember(committeeId, memberId)),
      close: () => Promise.resolve(),
    };
  }

  const publisher = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = publisher.duplicate();
  await Promise.all([publisher.connect(), subscriber.connect()]);
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== revocationChannel) return;
    const { committeeId, memberId } = JSON.parse(message) as { committeeId: string; memberId: string };
    options.closeMember(committeeId, memberId);
  });
  await subscriber.subscribe(revocationChannel);

  // Each (member, instance) is a field whose value is when it stops counting; refreshed while the socket lasts.
  const field = (memberId: string) => `${memberId} ${options.instance}`;
  const announce = (committeeId: string, memberId: string) => publisher.hset(presenceKey(committeeId), field(memberId), String(Date.now() + presenceLifetimeMs));
  const refresh = setInterval(() => {
    for (const [committeeId, members] of local) for (const memberId of members.keys()) void announce(committeeId, memberId).catch(() => undefined);
  }, presenceRefreshMs);

  return {
    count(committeeId, memberId, change) {
      const sockets = countLocally(committeeId, memberId, change);
      const written = sockets > 0 ? announce(committeeId, memberId) : publisher.hdel(presenceKey(committeeId), field(memberId));
      // Presence is advisory: a Redis hiccup must not close a member's socket.
      void written.catch(() => undefined);
    },
    async connected(committeeId) {
      const fields = await publisher.hgetall(presenceKey(committeeId));
      const now = Date.now();
      const members = localMembers(committeeId);
      for (const [name, until] of Object.entries(fields)) if (Number(until) > now) members.add(name.split(' ')[0] as string);
      return members;
    },
    async revoked(committeeId, memberId) {
      options.closeMember(committeeId, memberId);
      await publisher.publish(revocationChannel, JSON.stringify({ committeeId, memberId }));
    },
    async close() {
      clearInterval(refresh);
      await Promise.all([...local].flatMap(([committeeId, members]) => [...members.keys()].map((memberId) => publisher.hdel(presenceKey(committeeId), field(memberId)))));
      subscriber.disconnect();
      await publisher.quit();
    },
  };
}
