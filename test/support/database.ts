// A fresh, migrated database for one test file: PGlite in memory by default, or a newly created database
// on the PostgreSQL server of TEST_DATABASE_URL when the suite runs in its `postgres` project. With
// TEST_DATABASE_DIRECT_URL as well, TEST_DATABASE_URL is a PgBouncer in transaction mode in front of that
// server: databases are created, migrated and dropped on the direct connection, and everything else (the
// servers under test) goes through PgBouncer with named prepared statements off.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrations.js';

export type TestDatabaseTarget = 'pglite' | 'postgres';

export function testDatabaseTarget(): TestDatabaseTarget {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase extends DatabaseHandle {
  /** The connection string, for child processes; undefined on PGlite. */
  readonly url?: string;
  /** Straight to PostgreSQL (not through PgBouncer), for session state such as session-level locks. */
  readonly directUrl?: string;
  /** DATABASE_URL and, through PgBouncer, DATABASE_DIRECT_URL and DATABASE_NAMED_STATEMENTS for a server process. */
  readonly environment?: Record<string, string>;
}

export interface ServerDatabase {
  readonly url: string;
  readonly directUrl: string;
  /** Whether `url` goes through PgBouncer (TEST_DATABASE_DIRECT_URL is set). */
  readonly pooled: boolean;
  readonly environment: Record<string, string>;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  return url;
}

function withDatabaseName(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates an empty database on the test server and returns its URL (the caller owns it). `base` is
 * TEST_DATABASE_URL unless given; when it is, and TEST_DATABASE_DIRECT_URL is set, `url` goes through
 * PgBouncer and `directUrl` straight to the server.
 */
export async function createServerDatabase(prefix = 'bff_test', base = serverUrl()): Promise<ServerDatabase> {
  const direct = process.env.TEST_DATABASE_DIRECT_URL && base === process.env.TEST_DATABASE_URL ? process.env.TEST_DATABASE_DIRECT_URL : base;
  const pooled = direct !== base;
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: direct });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabaseName(base, name);
  const directUrl = withDatabaseName(direct, name);
  return {
    url,
    directUrl,
    pooled,
    environment: pooled ? { DATABASE_URL: url, DATABASE_DIRECT_URL: directUrl, DATABASE_NAMED_STATEMENTS: 'false' } : { DATABASE_URL: url },
    drop: async () => {
      const client = new pg.Client({ connectionString: direct });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** `migrationsDir` applies the migrations of another folder (an earlier state of the schema). */
export async function createTestDatabase(migrationsDir?: string): Promise<TestDatabase> {
  if (testDatabaseTarget() === 'postgres') {
    const created = await createServerDatabase();
    const handle = await openDatabase({ url: created.url, directUrl: created.directUrl, namedStatements: !created.pooled, poolSize: 5 });
    await applyMigrations(handle.adapterFactory, migrationsDir);
    return {
      ...handle,
      url: created.url,
      directUrl: created.directUrl,
      environment: created.environment,
      close: async () => {
        await handle.close();
        await created.drop();
      },
    };
  }
  const handle = await openDatabase({ dataDir: 'memory://' });
  await applyMigrations(handle.adapterFactory, migrationsDir);
  return handle;
}
