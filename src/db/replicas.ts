// Streaming replicas for the heavy reads (docs/deployment.md "Read replicas"). One driver adapter routes each
// statement: a plain read goes to the replica the request was given (server/read-routing.ts decides which
// requests get one), everything else to the primary. A write, a transaction or a failing replica statement
// sends the rest of the request to the primary; a replica statement that fails is answered by the primary,
// never as an error. A background probe (every second, short timeout) measures each replica's lag and
// replay position; a replica down, promoted, or lagging more than the maximum is not given to requests.
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { countStatements, currentStatementTally } from './statement-counter.js';

const REPLICA_PROBE_INTERVAL_MS = 1_000;
const REPLICA_PROBE_TIMEOUT_MS = 800;

/** A request's routing, kept in its statement tally (no AsyncLocalStorage of its own: see request-scope.ts). */
export interface ReadRouting {
  /** The replica this request's plain reads go to; null = the primary. */
  replica: Replica | null;
  /** Set by the first statement that is not a plain read (a write, a transaction, a lock). */
  wrote: boolean;
}

type ReadTarget = 'primary' | 'replica';

export interface ReplicaStatus {
  /** `replica1`, `replica2`, … in the order of DATABASE_REPLICA_URLS (the URLs may carry passwords). */
  readonly name: string;
  /** Answered its last probe, is in recovery, and lags no more than the maximum. */
  readonly usable: boolean;
  readonly up: boolean;
  /** Seconds behind the primary; 0 when it has replayed all it received; null when unknown. */
  readonly lagSeconds: number | null;
}

interface Replica {
  readonly name: string;
  readonly adapter: SqlDriverAdapter;
  up: boolean;
  inRecovery: boolean;
  lagSeconds: number | null;
  /** pg_last_wal_replay_lsn() as bytes from 0/0 at the last probe. */
  replayLsn: bigint;
}

interface ReplicaObserver {
  read(target: ReadTarget): void;
  fallback(replica: string): void;
  /** A replica became usable or stopped being so. */
  changed(status: ReplicaStatus): void;
  /** A probe of the replica finished: it answered, or it did not. */
  probed?(replica: string, answered: boolean): void;
}

type PrismaPgOptions = NonNullable<ConstructorParameters<typeof PrismaPg>[1]>;

interface ReplicaOptions {
  urls: readonly string[];
  maxLagSeconds: number;
  poolSize: number;
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  adapterOptions: PrismaPgOptions;
  /** The primary's pool: the write position for read-your-writes is read from it. */
  primaryPool: pg.Pool;
  /** Installed on every pooled connection (client.ts closes a connection whose query timed out). */
  onConnect: (client: pg.PoolClient) => void;
}

/**
 * Runs a write that leaves what the request reads unchanged (a fold of rows into an equivalent form, which
 * readers add up either way): it goes to the primary, but the request's later reads may stay on their
 * replica. Its statements still count for the request.
 */
export function withoutPinningReads<T>(work: () => Promise<T>): Promise<T> {
  const tally = currentStatementTally();
  if (!tally?.readRouting) return work();
  // A store of its own for the work's routing, forwarding everything else (the count, the request id).
  const scope = new Proxy(tally, {
    get: (target, property): unknown => (property === 'readRouting' ? ownRouting : Reflect.get(target, property)),
  });
  const ownRouting: ReadRouting = { replica: null, wrote: false };
  // Awaited inside: Prisma's queries start when awaited, and must start in this store.
  return countStatements(scope, async () => await work());
}

const PLAIN_READ = /^\s*(select|with)\b/i;
const NOT_A_PLAIN_READ =
  /\b(insert|update|delete|for\s+(update|share|no\s+key\s+update|key\s+share)|pg_(try_)?advisory\w*|nextval|setval|set_config|pg_notify)\b/i;

/** A statement a replica can answer the same as the primary: a SELECT with no lock, write or side effect. */
export function isPlainRead(sql: string): boolean {
  return PLAIN_READ.test(sql) && !NOT_A_PLAIN_READ.test(sql);
}

// Lag: 0 when the replica has replayed everything it received while streaming (an idle primary is not lag),
// else the age of the last transaction it replayed. A replica cut off from its primary has received
// nothing new, so its lag grows from its last replayed transaction instead of reading 0.
const PROBE_SQL = `SELECT pg_is_in_recovery() AS "inRecovery",
  COALESCE(pg_last_wal_replay_lsn() - '0/0', 0)::text AS "replayLsn",
  (CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
        ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END)::float8 AS "lagSeconds"`;

export class ReplicaSet {
  readonly replicas: Replica[] = [];
  private readonly pools: pg.Pool[] = [];
  private readonly probePools: pg.Pool[] = [];
  private readonly observers = new Set<ReplicaObserver>();
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | null = null;
  private next = 0;

  private constructor(private readonly options: ReplicaOptions) {}

  static async open(options: ReplicaOptions): Promise<ReplicaSet> {
    const set = new ReplicaSet(options);
    for (const [index, url] of options.urls.entries()) {
      const statementTimeout = options.statementTimeoutMs;
      const pool = new pg.Pool({
        connectionString: url,
        max: options.poolSize,
        ...(statementTimeout === undefined ? {} : { statement_timeout: statementTimeout, query_timeout: statementTimeout + 250 }),
        ...(options.connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: options.connectTimeoutMs }),
      });
      pool.on('connect', options.onConnect);
      pool.on('error', () => {});
      // One connection, bounded tightly: a frozen replica must not hold the probe past its interval.
      const probePool = new pg.Pool({
        connectionString: url,
        max: 1,
        connectionTimeoutMillis: REPLICA_PROBE_TIMEOUT_MS,
        statement_timeout: REPLICA_PROBE_TIMEOUT_MS,
        query_timeout: REPLICA_PROBE_TIMEOUT_MS,
      });
      probePool.on('connect', options.onConnect);
      probePool.on('error', () => {});
      set.pools.push(pool);
      set.probePools.push(probePool);
      set.replicas.push({
        name: `replica${index + 1}`,
        adapter: await new PrismaPg(pool, options.adapterOptions).connect(),
        up: false,
        inRecovery: false,
        lagSeconds: null,
        replayLsn: 0n,
      });
    }
    // Requests start on the primary and move to a replica once it has answered a probe.
    await set.probe();
    set.timer = setInterval(() => void set.probe(), REPLICA_PROBE_INTERVAL_MS);
    set.timer.unref();
    return set;
  }

  observe(observer: ReplicaObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Measures every replica once (a probe still running is joined, not doubled). */
  probe(): Promise<void> {
    return (this.probing ??= Promise.all(this.replicas.map((replica, index) => this.probeOne(replica, this.probePools[index])))
      .then(() => undefined)
      .finally(() => (this.probing = null)));
  }

  private async probeOne(replica: Replica, pool: pg.Pool): Promise<void> {
    const wasUsable = this.isUsable(replica);
    await this.measure(replica, pool);
    for (const observer of this.observers) observer.probed?.(replica.name, replica.up);
    if (this.isUsable(replica) !== wasUsable) {
      const status = this.status().find((entry) => entry.name === replica.name)!;
      for (const observer of this.observers) observer.changed(status);
    }
  }

  private async measure(replica: Replica, pool: pg.Pool): Promise<void> {
    try {
      const { rows } = await pool.query<{ inRecovery: boolean; replayLsn: string; lagSeconds: number | null }>(PROBE_SQL);
      replica.inRecovery = rows[0].inRecovery;
      replica.replayLsn = BigInt(rows[0].replayLsn.split('.')[0]);
      replica.lagSeconds = rows[0].lagSeconds === null ? null : Math.max(0, rows[0].lagSeconds);
      replica.up = true;
    } catch {
      replica.up = false;
      replica.lagSeconds = null;
    }
  }

  private isUsable(replica: Replica): boolean {
    return replica.up && replica.inRecovery && replica.lagSeconds !== null && replica.lagSeconds <= this.options.maxLagSeconds;
  }

  /**
   * A replica for a request's reads, in turn; null (the primary) when none is usable or none has replayed
   * `writtenUpTo`, the caller's last write position.
   */
  choose(writtenUpTo?: bigint): Replica | null {
    const count = this.replicas.length;
    for (let offset = 0; offset < count; offset += 1) {
      const replica = this.replicas[(this.next + offset) % count];
      if (this.isUsable(replica) && (writtenUpTo === undefined || replica.replayLsn >= writtenUpTo)) {
        this.next = (this.next + offset + 1) % count;
        return replica;
      }
    }
    return null;
  }

  /** The primary's current WAL position: every transaction committed before this call is at or before it. */
  async primaryWritePosition(): Promise<bigint> {
    const { rows } = await this.options.primaryPool.query<{ lsn: string }>(`SELECT (pg_current_wal_lsn() - '0/0')::text AS lsn`);
    return BigInt(rows[0].lsn.split('.')[0]);
  }

  status(): ReplicaStatus[] {
    return this.replicas.map((replica) => ({ name: replica.name, usable: this.isUsable(replica), up: replica.up, lagSeconds: replica.lagSeconds }));
  }

  /** The adapter factory Prisma uses: the primary's, with plain reads of routed requests sent to their replica. */
  routing(primary: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
    return {
      provider: primary.provider,
      adapterName: primary.adapterName,
      connect: async () => this.routingAdapter(await primary.connect()),
      connectToShadowDb: () => primary.connectToShadowDb(),
    };
  }

  private routingAdapter(primary: SqlDriverAdapter): SqlDriverAdapter {
    const onPrimary = (routing: ReadRouting | undefined) => {
      if (routing) {
        routing.wrote = true;
        routing.replica = null;
      }
    };
    const queryRaw = async (query: SqlQuery) => {
      const routing = currentStatementTally()?.readRouting;
      if (!isPlainRead(query.sql)) {
        onPrimary(routing);
        return primary.queryRaw(query);
      }
      const replica = routing?.replica;
      if (replica) {
        try {
          const result = await replica.adapter.queryRaw(query);
          this.emit('replica');
          return result;
        } catch {
          // Down, cancelled by a recovery conflict, or timed out: the primary answers, for the rest of the
          // request, and the replica is not handed out again before its next successful probe.
          replica.up = false;
          routing.replica = null;
          for (const observer of this.observers) observer.fallback(replica.name);
        }
      }
      const result = await primary.queryRaw(query);
      this.emit('primary');
      return result;
    };
    return {
      provider: primary.provider,
      adapterName: primary.adapterName,
      queryRaw,
      executeRaw: (query) => {
        onPrimary(currentStatementTally()?.readRouting);
        return primary.executeRaw(query);
      },
      executeScript: (script) => {
        onPrimary(currentStatementTally()?.readRouting);
        return primary.executeScript(script);
      },
      startTransaction: (isolationLevel) => {
        onPrimary(currentStatementTally()?.readRouting);
        return primary.startTransaction(isolationLevel);
      },
      ...(primary.getConnectionInfo ? { getConnectionInfo: () => primary.getConnectionInfo!() } : {}),
      // The replicas' pools are ended by close(), with the probe.
      dispose: () => primary.dispose(),
    };
  }

  private emit(target: ReadTarget): void {
    for (const observer of this.observers) observer.read(target);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.probing?.catch(() => {});
    await Promise.all([...this.pools, ...this.probePools].map((pool) => pool.end().catch(() => {})));
  }
}
