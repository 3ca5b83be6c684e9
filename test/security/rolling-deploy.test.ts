// Instances started on one PostgreSQL database the way a rolling deploy starts them (SPEC §10: every
// instance applies migrations at start-up). The schema engine serialises them with a session-level
// advisory lock; that lock must be gone once the migrations are applied, or a second instance started
// later while the first keeps serving fails with P1002 ("Timed out trying to acquire a postgres advisory
// lock"). Two instances started at the same moment on an empty database must still apply the migrations
// exactly once between them.
// It needs a PostgreSQL server (TEST_DATABASE_URL, else the local one); it runs once, in the postgres
// project when there is one, and is skipped only on a developer machine without a server.
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/schema-engine.js';
import { createServerDatabase, testDatabaseTarget } from '../support/database.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';

const POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
/** The schema engine's lock key (`pg_advisory_lock(72707369)`). */
const MIGRATION_LOCK_KEY = 72707369;

const required = testDatabaseTarget() === 'postgres' || Boolean(process.env.CI);
// With TEST_DATABASE_URL the postgres project runs this file; the pglite project leaves it to that run.
const leftToPostgresProject = testDatabaseTarget() !== 'postgres' && Boolean(process.env.TEST_DATABASE_URL);
const available = await (async () => {
  const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
})();
if (!available && !required) console.warn('rolling-deploy test skipped: no PostgreSQL on this machine');

const running: ServerProcess[] = [];
const databases: { drop(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((instance) => instance.stop()));
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

async function freshDatabase() {
  const database = await createServerDatabase('bff_deploy', POSTGRES);
  databases.push(database);
  const environment = {
    NODE_ENV: 'test',
    ...database.environment,
    JWT_SECRET: 'rolling-deploy-secret-at-least-32-bytes!',
    BCRYPT_COST: '4',
    SWEEP_SCHEDULE: 'off',
    LOG_LEVEL: 'info',
    DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'bff-deploy-')),
  };
  // The test's own look at pg_locks goes straight to the server.
  return { url: database.directUrl, environment };
}

async function start(environment: Record<string, string>): Promise<ServerProcess> {
  const instance = await startServerProcess(environment, 90_000);
  running.push(instance);
  return instance;
}

/** Ready (its database answers, migrations applied) and answering GraphQL. */
async function serves(instance: ServerProcess): Promise<boolean> {
  const ready = await fetch(new URL('/readyz', instance.url));
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const body = (await response.json()) as { data?: { __typename?: string } };
  return ready.status === 200 && body.data?.__typename === 'Query';
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const migrationLocksHeld = (url: string) =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
       WHERE l.locktype = 'advisory' AND l.objid = $1 AND d.datname = current_database()`,
      [MIGRATION_LOCK_KEY],
    );
    return rows[0].n;
  });

describe.skipIf((!available && !required) || leftToPostgresProject)('instances starting on one PostgreSQL database', () => {
  it('starts a second instance while the first keeps serving, as in a rolling deploy', { timeout: 240_000 }, async () => {
    const { url, environment } = await freshDatabase();
    const first = await start(environment);
    expect(await serves(first)).toBe(true);
    // The first instance holds no migration lock once it serves.
    expect(await migrationLocksHeld(url)).toBe(0);

    // Traffic on the first instance all the while (its pooled connections never go idle), then the second.
    let failed = 0;
    let traffic = true;
    const load = (async () => {
      while (traffic) {
        if (!(await serves(first).catch(() => false))) failed += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const second = await start(environment);
      expect(await serves(second)).toBe(true);
    } finally {
      traffic = false;
      await load;
    }
    expect(failed).toBe(0);
    expect(await serves(first)).toBe(true);
    expect(await migrationLocksHeld(url)).toBe(0);
  });

  it('still serialises two instances starting at the same moment on an empty database', { timeout: 240_000 }, async () => {
    const { url, environment } = await freshDatabase();
    const [first, second] = await Promise.all([start(environment), start(environment)]);
    expect(await serves(first)).toBe(true);
    expect(await serves(second)).toBe(true);
    const local = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const applied = await withClient(
      url,
      async (client) =>
        (
          await client.query<{ migration_name: string; finished: boolean; rolled_back: boolean }>(
            `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
         FROM "_prisma_migrations" ORDER BY migration_name`,
          )
        ).rows,
    );
    // Each migration once, finished, never rolled back: the lock kept the two from applying it twice.
    expect(applied).toEqual(local.map((name) => ({ migration_name: name, finished: true, rolled_back: false })));
    expect(await migrationLocksHeld(url)).toBe(0);
    // The started log line says which instance migrated: exactly one of them did.
    const migrated = [first, second].filter((instance) => instance.output().includes('"msg":"migrations applied"'));
    expect(migrated.length).toBe(1);
  });
});
