// The Prisma client over one of two drivers: PostgreSQL through a pg pool (DATABASE_URL), or PGlite stored
// in DATA_DIR when no URL is given, so a fresh checkout runs with no database server.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { ArgType, SqlDriverAdapter, SqlDriverAdapterFactory, SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { acquireDataDirLock, DataDirInUseError, type LockLog } from './data-dir-lock.js';
import { withPgliteArrayArguments } from './pglite-array-arguments.js';
import { ReplicaSet } from './replicas.js';
import { withStatementCounting } from './statement-counter.js';

export type Database = PrismaClient;
/** The client or an interactive transaction: repositories accept either. */
export type DatabaseClient = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

/**
 * A plain read sent straight to the driver adapter the client uses, so it is counted and routed to a
 * replica as the client's reads are, without the client's query compiler and result mapping: the rows
 * as the driver gives them (columns in order).
 */
export type PlainRead = (sql: string, args: readonly unknown[]) => Promise<unknown[][]>;

export interface DatabaseHandle {
  readonly prisma: PrismaClient;
  readonly readRows: PlainRead;
  readonly kind: 'postgres' | 'pglite';
  /**
   * The driver adapter for the schema engine (migrations). On PostgreSQL each connection it makes is a
   * pool of one of its own, not a connection of the shared pool: the engine's migration lock is a
   * session-level advisory lock, and on a pooled connection it outlived the migrations and kept every
   * other instance from starting.
   */
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  readonly pool?: pg.Pool;
  /** The read replicas (DATABASE_REPLICA_URLS), when there are any. */
  readonly replicas?: ReplicaSet;
  close(): Promise<void>;
}

interface DatabaseOptions {
  url?: string;
  /**
   * A connection straight to PostgreSQL, for what needs a session of its own (the schema engine's migration
   * lock) when `url` goes through PgBouncer in transaction mode; unset = `url`.
   */
  directUrl?: string;
  /** Named prepared statements (default on); off behind a pooler in transaction mode, which cannot keep them. */
  namedStatements?: boolean;
  /** Folder for PGlite's files; `memory://` or undefined keeps it in memory. */
  dataDir?: string;
  poolSize?: number;
  /**
   * PostgreSQL's statement_timeout, and (250 ms later) the driver's own read timeout. The server sets it
   * from DATABASE_STATEMENT_TIMEOUT_MS; unset (scripts such as the legacy import, whose statements may run
   * long) = unbounded.
   */
  statementTimeoutMs?: number;
  /** How long opening a PostgreSQL connection may take; unset = unbounded. */
  connectTimeoutMs?: number;
  /** Streaming replicas of `url` for the heavy reads (replicas.ts), and the lag beyond which one is skipped. */
  replicaUrls?: readonly string[];
  replicaMaxLagSeconds?: number;
  /** Where the takeover of a stale data-folder lock is reported; stderr by default. */
  log?: LockLog;
}

/**
 * A connection whose query got no answer in time (a frozen server) is closed rather than returned to the
 * pool: its next user would otherwise wait behind the unanswered query, and the server, once it runs
 * again, would carry on with the transaction the client has given up on. Closed, the server reads the end
 * of the connection and rolls the transaction back.
 */
function closeOnReadTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result && typeof (result as Promise<unknown>).catch === 'function') {
      (result as Promise<unknown>).catch((error: unknown) => {
        if (error instanceof Error && error.message === 'Query read timeout') {
          (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        }
      });
    }
    return result;
  };
}

// Named statements are parsed and planned once per connection instead of on every query (Prisma's pg adapter
// sends unnamed ones otherwise). The same text always gets the same name; the texts are the application's
// query shapes (IN lists vary by length only up to the page sizes), so the map stays small. PgBouncer in
// transaction mode hands each transaction any server connection, where the name may be missing or taken:
// DATABASE_NAMED_STATEMENTS=false turns them off there.
const statementNames = new Map<string, string>();
function preparedStatementName(query: SqlQuery): string {
  let name = statementNames.get(query.sql);
  if (name === undefined) {
    name = `bff_${statementNames.size.toString(36)}`;
    statementNames.set(query.sql, name);
  }
  return name;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.url ? openPostgres({ ...options, url: options.url }) : openPglite(options);
}

const UNTYPED_ARG: ArgType = { scalarType: 'unknown', arity: 'scalar' };

/** Reads through an adapter of `factory` (connected on first use; again after a failed connect). */
function plainReader(factory: SqlDriverAdapterFactory): PlainRead {
  let adapter: Promise<SqlDriverAdapter> | null = null;
  return async (sql, args) => {
    adapter ??= factory.connect().catch((error: unknown) => {
      adapter = null;
      throw error;
    });
    const result = await (await adapter).queryRaw({ sql, args: [...args], argTypes: args.map(() => UNTYPED_ARG) });
    return result.rows;
  };
}

/** PostgreSQL through a pg pool, with the read replicas when there are any. */
async function openPostgres(options: DatabaseOptions & { url: string }): Promise<DatabaseHandle> {
  const statementTimeout = options.statementTimeoutMs;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(statementTimeout === undefined
      ? {}
      : // The server's own timeout answers first when it runs; the read timeout covers one that cannot answer.
        { statement_timeout: statementTimeout, query_timeout: statementTimeout + 250 }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: options.connectTimeoutMs }),
  });
  pool.on('connect', closeOnReadTimeout);
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const adapterOptions = options.namedStatements === false ? {} : { statementNameGenerator: preparedStatementName };
  const replicas = options.replicaUrls?.length
    ? await ReplicaSet.open({
        ...options,
        urls: options.replicaUrls,
        maxLagSeconds: options.replicaMaxLagSeconds ?? 30,
        poolSize: options.poolSize ?? 10,
        adapterOptions,
        primaryPool: pool,
        onConnect: closeOnReadTimeout,
      })
    : undefined;
  const primaryAdapter = new PrismaPg(pool, adapterOptions);
  // Over the shared pool, which close() ends: the adapters are not disposed of on their own.
  const clientAdapter = withStatementCounting(replicas ? replicas.routing(primaryAdapter) : primaryAdapter);
  const prisma = new PrismaClient({ adapter: clientAdapter });
  return {
    prisma,
    readRows: plainReader(clientAdapter),
    kind: 'postgres',
    // A connection string rather than the pool: every connect() opens its own pool, ended on dispose.
    adapterFactory: new PrismaPg({ connectionString: options.directUrl ?? options.url, max: 1 }),
    pool,
    replicas,
    close: async () => {
      await prisma.$disconnect();
      await replicas?.close();
      await pool.end().catch(() => {});
    },
  };
}

/** PGlite in DATA_DIR (or in memory), its folder locked against a second process. */
async function openPglite(options: DatabaseOptions): Promise<DatabaseHandle> {
  const location = options.dataDir && options.dataDir !== 'memory://' ? path.resolve(options.dataDir, 'pglite') : undefined;
  if (location) await mkdir(location, { recursive: true });
  // Before PGlite touches the files: a second process on the same folder would corrupt them.
  const lock = options.dataDir && location ? acquireDataDirLock(path.resolve(options.dataDir), options.log) : undefined;
  let pglite: PGlite;
  try {
    pglite = location ? await PGlite.create(location) : await PGlite.create();
  } catch (error) {
    lock?.release();
    throw error;
  }
  const adapterFactory = withStatementCounting(withPgliteArrayArguments(new PrismaPGlite(pglite)));
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    prisma,
    readRows: plainReader(adapterFactory),
    kind: 'pglite',
    adapterFactory,
    close: async () => {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * The statement_timeout the pool's connections really have. node-postgres sends it as a start-up parameter,
 * which PgBouncer does not pass on (it refuses it unless told to ignore it), so behind a pooler it is what
 * the role or the pooler's `connect_query` sets: '0' means none.
 */
export async function statementTimeoutInForce(handle: DatabaseHandle): Promise<string> {
  const [row] = await handle.prisma.$queryRaw<{ statement_timeout: string }[]>`SHOW statement_timeout`;
  return row?.statement_timeout ?? '0';
}

/**
 * openDatabase for the server and the command-line tools: a data folder another process holds ends the
 * program with the reason and exit code 2 instead of a stack trace.
 */
export async function openDatabaseOrExit(program: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  try {
    return await openDatabase(options);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    process.stderr.write(`${program}: ${error.message}\n`);
    process.exit(2);
  }
}
