// A fresh, migrated database for one test file: PGlite in memory by default, or a newly created database
// on the PostgreSQL server of TEST_DATABASE_URL when the suite runs in its `postgres` project.
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
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  return url;
}

/** Creates an empty database on the test server and returns its URL (the caller owns it). */
export async function createServerDatabase(prefix = 'bff_test', base = serverUrl()): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
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
    const handle = await openDatabase({ url: created.url, poolSize: 5 });
    await applyMigrations(handle.adapterFactory, migrationsDir);
    return {
      ...handle,
      url: created.url,
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
