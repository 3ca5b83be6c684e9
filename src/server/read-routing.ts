// Which requests read from a replica (docs/deployment.md "Read replicas"). A query operation that selects
// one of the replica fields below reads, as a whole, from one replica: its answer comes from one snapshot
// rather than a fresh parent beside a stale list. The session check runs before this decision, so it is
// always on the primary; mutations never get a replica, and the first write of a request sends its
// remaining reads to the primary (db/replicas.ts).
//
// Read-your-writes across requests and instances: after a request by a signed-in user writes, the
// primary's WAL position is remembered for that user (in Redis when REDIS_URL is set, so every instance
// sees it; in memory otherwise), and that user's reads go to a replica only once its replayed position has
// reached it. The position is kept for the maximum lag plus a margin: by then any replica that has not
// replayed it lags more than the maximum and is skipped anyway.
import { Kind, OperationTypeNode, TypeInfo, getNamedType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Redis } from 'ioredis';
import type { ReplicaSet } from '../db/replicas.js';
import { currentStatementTally } from '../db/statement-counter.js';
import type { Context } from '../modules/context.js';
import type { OutageLog } from './outage-log.js';

/** Fields read from a replica besides every connection (`…Connection`) field: type.field. */
export const REPLICA_FIELDS: ReadonlySet<string> = new Set([
  'Query.activationDashboard',
  'Query.roleAudit',
  // The supplier portal.
  'Supplier.products',
  'Supplier.orders',
  'Supplier.earnings',
]);

/** Beyond any WAL position: no replica has replayed it. */
const UNKNOWN_POSITION = 2n ** 63n - 1n;

/** How long after a write its position is kept, beyond the maximum lag (two probes and a margin). */
const WRITE_POSITION_MARGIN_SECONDS = 5;

function isReplicaField(typeName: string, fieldName: string, returnTypeName: string): boolean {
  return REPLICA_FIELDS.has(`${typeName}.${fieldName}`) || returnTypeName.endsWith('Connection');
}

const replicaDocuments = new WeakMap<DocumentNode, boolean>();

/** Whether the document selects a replica field anywhere (its fragments included: each is used). */
export function selectsReplicaField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const known = replicaDocuments.get(document);
  if (known !== undefined) return known;
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      [Kind.FIELD]() {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (parent && field && isReplicaField(parent.name, field.name, getNamedType(field.type).name)) found = true;
      },
    }),
  );
  replicaDocuments.set(document, found);
  return found;
}

/** The WAL position of each user's last write, for as long as a usable replica could still lack it. */
interface WritePositions {
  /** undefined = no recent write; null = unknown (the store did not answer): the primary, to be safe. */
  lastWrite(userId: string): Promise<bigint | undefined | null>;
  remember(userIds: readonly string[], position: bigint): Promise<void>;
}

export class MemoryWritePositions implements WritePositions {
  private readonly positions = new Map<string, { position: bigint; expiresAt: number }>();

  constructor(private readonly ttlMs: number) {}

  async lastWrite(userId: string): Promise<bigint | undefined> {
    const entry = this.positions.get(userId);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.positions.delete(userId);
      return undefined;
    }
    return entry.position;
  }

  async remember(userIds: readonly string[], position: bigint): Promise<void> {
    const now = Date.now();
    if (this.positions.size > 100_000) {
      for (const [key, entry] of this.positions) if (entry.expiresAt <= now) this.positions.delete(key);
    }
    for (const userId of userIds) {
      const current = this.positions.get(userId);
      const kept = current && current.expiresAt > now && current.position > position ? current.position : position;
      this.positions.set(userId, { position: kept, expiresAt: now + this.ttlMs });
    }
  }
}

// Keeps the larger position: two writes of one user answered out of order must not lower it.
const REMEMBER_LARGER = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/** Shared by every instance; when Redis does not answer, reads go to the primary and writes are kept locally too. */
class RedisWritePositions implements WritePositions {
  private readonly local: MemoryWritePositions;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
    private readonly outages: OutageLog,
  ) {
    this.local = new MemoryWritePositions(ttlMs);
  }

  async lastWrite(userId: string): Promise<bigint | undefined | null> {
    try {
      const stored = await this.redis.get(`${this.prefix}${userId}`);
      const local = await this.local.lastWrite(userId);
      const shared = stored === null ? undefined : BigInt(stored);
      return shared === undefined ? local : local === undefined || shared > local ? shared : local;
    } catch (error) {
      this.outages.record(
        'redis',
        error instanceof Error ? error.message.slice(0, 200) : 'redis failed',
        'redis unavailable: reads of recent writers go to the primary',
      );
      return null;
    }
  }

  async remember(userIds: readonly string[], position: bigint): Promise<void> {
    await this.local.remember(userIds, position);
    try {
      await Promise.all(userIds.map((userId) => this.redis.eval(REMEMBER_LARGER, 1, `${this.prefix}${userId}`, position.toString(), String(this.ttlMs))));
    } catch (error) {
      this.outages.record(
        'redis',
        error instanceof Error ? error.message.slice(0, 200) : 'redis failed',
        'redis unavailable: write positions kept on this instance only',
      );
    }
  }
}

export function createWritePositions(options: { redis: Redis | null; keyPrefix: string; maxLagSeconds: number; outages: OutageLog }): WritePositions {
  const ttlMs = (options.maxLagSeconds + WRITE_POSITION_MARGIN_SECONDS) * 1000;
  return options.redis ? new RedisWritePositions(options.redis, `${options.keyPrefix}written:`, ttlMs, options.outages) : new MemoryWritePositions(ttlMs);
}

/** Gives replica-field queries a replica; remembers the write position after a request that wrote. */
export function readRoutingPlugin(replicas: ReplicaSet, positions: WritePositions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, contextValue }) {
          const routing = currentStatementTally()?.readRouting;
          if (!routing || routing.wrote || operation?.operation !== OperationTypeNode.QUERY || !selectsReplicaField(schema, document)) return;
          const writtenUpTo = contextValue.viewer ? await positions.lastWrite(contextValue.viewer.userId) : undefined;
          if (writtenUpTo === null) return;
          routing.replica = replicas.choose(writtenUpTo);
        },
        async willSendResponse({ contextValue }) {
          const routing = currentStatementTally()?.readRouting;
          if (!routing?.wrote) return;
          // The signed-in caller, and whoever a sign-in mutation of this request signed in (register).
          const userIds = new Set<string>();
          if (contextValue.viewer) userIds.add(contextValue.viewer.userId);
          for (const viewer of contextValue.issuedViewers?.values() ?? []) userIds.add(viewer.userId);
          if (userIds.size === 0) return;
          // A position that cannot be read keeps the user on the primary for the whole window.
          const position = await replicas.primaryWritePosition().catch(() => UNKNOWN_POSITION);
          await positions.remember([...userIds], position);
        },
      };
    },
  };
}
