// The server behind PgBouncer in transaction mode (docs/deployment.md, "PgBouncer"): its queries really go
// through the pooler, migrations take the direct connection, and named prepared statements fail there the
// way the docs say — with the setting named in the log — while DATABASE_NAMED_STATEMENTS=false works.
// It runs in the pass through the PgBouncer that .ci/run starts (TEST_DATABASE_URL on PgBouncer,
// TEST_DATABASE_DIRECT_URL on the server); elsewhere there is no pooler to test.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { openDatabase, statementTimeoutInForce, type DatabaseHandle } from '../../src/db/client.js';
import { NAMED_STATEMENTS_HINT } from '../../src/db/errors.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createApp, type App } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/http.js';
import { createLogger } from '../../src/server/logger.js';
import { createServerDatabase, testDatabaseTarget, type ServerDatabase } from '../support/database.js';
import { uniqueEmail } from '../support/testkit/index.js';
import { LOGIN } from '../support/operations.js';

const throughPgBouncer = testDatabaseTarget() === 'postgres' && Boolean(process.env.TEST_DATABASE_DIRECT_URL);

interface Instance {
  database: DatabaseHandle;
  app: App;
  server: RunningServer;
  logLines: Record<string, any>[];
  /** The x-sql-statements header of each answer: the statements the request ran. */
  statements: number[];
  login(identifier: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A server instance in this process over PgBouncer, with named statements on or off. */
async function startInstance(database: ServerDatabase, namedStatements: boolean): Promise<Instance> {
  const handle = await openDatabase({ url: database.url, directUrl: database.directUrl, namedStatements, poolSize: 2 });
  const logLines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const config = parseConfig({
    NODE_ENV: 'test',
    DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'bff-pgbouncer-')),
    JWT_SECRET: 'pgbouncer-test-secret-at-least-32-bytes!',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'error',
    SWEEP_SCHEDULE: 'off',
  });
  const app = await createApp({ config, database: handle, log: createLogger(config.LOG_LEVEL, destination) });
  const server = await listen(app, 0, '127.0.0.1');
  const statements: number[] = [];
  return {
    database: handle,
    app,
    server,
    logLines,
    statements,
    async login(identifier) {
      const response = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: LOGIN, variables: { identifier, password: 'not the password at all' } }),
      });
      statements.push(Number(response.headers.get('x-sql-statements')));
      return { status: response.status, body: await response.json() };
    },
    async close() {
      await server.close();
      await app.close();
      await handle.close();
    },
  };
}

/** PgBouncer's admin console (the `pgbouncer` database): simple-protocol SHOW commands only. */
async function pgBouncerShow(command: 'POOLS' | 'STATS'): Promise<Record<string, any>[]> {
  const admin = new URL(process.env.TEST_DATABASE_URL!);
  admin.pathname = '/pgbouncer';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return (await client.query(`SHOW ${command}`)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!throughPgBouncer)('behind PgBouncer in transaction mode', () => {
  const databases: ServerDatabase[] = [];
  async function freshDatabase(): Promise<ServerDatabase> {
    const database = await createServerDatabase('bff_pgbouncer');
    databases.push(database);
    // Migrations on the direct connection: the schema engine's lock is a session-level advisory lock.
    const migrator = await openDatabase({ url: database.url, directUrl: database.directUrl });
    await applyMigrations(migrator.adapterFactory);
    await migrator.close();
    return database;
  }

  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  it("sends the server's queries through the pooler, in transaction mode", async () => {
    const database = await freshDatabase();
    const name = new URL(database.url).pathname.slice(1);
    expect(database.pooled).toBe(true);
    // The migrations ran on the direct connection: PgBouncer has not seen this database yet.
    expect((await pgBouncerShow('STATS')).filter((row) => row.database === name)).toEqual([]);
    const instance = await startInstance(database, false);
    try {
      const transactions = async () => Number((await pgBouncerShow('STATS')).find((row) => row.database === name)?.total_xact_count ?? 0);
      const counted: number[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const before = await transactions();
        const answer = await instance.login(uniqueEmail('nobody'));
        expect(answer.body.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
        counted.push((await transactions()) - before);
      }
      // Every statement of a login is a transaction of its own at PgBouncer: 5 and 5, each time.
      expect(instance.statements).toEqual([5, 5, 5]);
      expect(counted).toEqual(instance.statements);
      const pools = (await pgBouncerShow('POOLS')).filter((row) => row.database === name);
      expect(pools).toHaveLength(1);
      expect(pools[0].pool_mode).toBe('transaction');
    } finally {
      await instance.close();
    }
  });

  it("loses the driver's statement_timeout through the pooler, which sets its own (connect_query)", async () => {
    const database = await freshDatabase();
    const pooled = await openDatabase({ url: database.url, namedStatements: false, statementTimeoutMs: 1234, poolSize: 1 });
    const direct = await openDatabase({ url: database.directUrl, statementTimeoutMs: 1234, poolSize: 1 });
    try {
      // scripts/pgbouncer.sh: ignore_startup_parameters = statement_timeout, connect_query sets 5 s.
      expect(await statementTimeoutInForce(pooled)).toBe('5s');
      expect(await statementTimeoutInForce(direct)).toBe('1234ms');
    } finally {
      await pooled.close();
      await direct.close();
    }
  });

  it('fails with "prepared statement already exists" when named statements are on, names the setting, and works with them off', async () => {
    const database = await freshDatabase();
    // Two instances (or two connections of one) sharing PgBouncer's one server connection: the first
    // prepares the login's statements on it, the second's connection lands on the same server connection
    // and prepares the same names again.
    const first = await startInstance(database, true);
    const second = await startInstance(database, true);
    try {
      const identifier = uniqueEmail('nobody');
      expect((await first.login(identifier)).body.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
      const refused = await second.login(identifier);
      expect(refused.body.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      const logged = second.logLines.filter((line) => line.msg === 'unexpected error');
      expect(logged).toHaveLength(1);
      expect(logged[0].hint).toBe(NAMED_STATEMENTS_HINT);
      expect(logged[0].hint).toContain('DATABASE_NAMED_STATEMENTS=false');
      expect(JSON.stringify(logged[0].err)).toContain('42P05');
    } finally {
      await first.close();
      await second.close();
    }

    const third = await startInstance(database, false);
    const fourth = await startInstance(database, false);
    try {
      for (const instance of [third, fourth, third, fourth]) {
        expect((await instance.login(uniqueEmail('nobody'))).body.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
      }
      expect(third.logLines.filter((line) => line.level === 'error')).toEqual([]);
      expect(fourth.logLines.filter((line) => line.level === 'error')).toEqual([]);
    } finally {
      await third.close();
      await fourth.close();
    }
  });
});
