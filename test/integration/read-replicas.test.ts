// Read replicas on a real streaming replica (docs/deployment.md "Read replicas"): a primary of its own and a
// replica made with pg_basebackup -R -X stream (scripts/pg-replica-pair.sh; .ci/run starts one and exports
// TEST_REPLICA_*). Three server processes: A and B share Redis (read-your-writes across instances) and skip a
// replica lagging more than 30 s; C skips one lagging more than 1 s. Where a read went is shown twice: by the
// server's own counter (bff_database_reads_total) and by the replica's statement log (log_statement=all).
// Without TEST_REPLICA_* the test starts its own pair when it can (root or the postgres user); only a
// developer machine that cannot skips it, with a warning. Under CI it is required.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';
import { contractOperation } from '../support/contract.js';
import { createServerDatabase } from '../support/database.js';
import { freePort } from '../support/fault-servers.js';
import { STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { fromNewIp, REGISTER } from '../support/operations.js';
import { runScript, startServerProcess, type ServerProcess } from '../support/process.js';
import { MFA_OFF } from '../support/second-factor.js';

const REDIS = 'redis://127.0.0.1:6379';
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'pg-replica-pair.sh');

interface Pair {
  primaryUrl: string;
  replicaUrl: string;
  replicaData: string;
  replicaLog: string;
  /** Set when this test started the pair: stopped and removed at the end. */
  ownDir?: string;
}

function pairFromEnvironment(): Pair | undefined {
  const { TEST_REPLICA_PRIMARY_URL, TEST_REPLICA_URL, TEST_REPLICA_DATA, TEST_REPLICA_LOG } = process.env;
  if (!TEST_REPLICA_PRIMARY_URL || !TEST_REPLICA_URL || !TEST_REPLICA_DATA || !TEST_REPLICA_LOG) return undefined;
  return { primaryUrl: TEST_REPLICA_PRIMARY_URL, replicaUrl: TEST_REPLICA_URL, replicaData: TEST_REPLICA_DATA, replicaLog: TEST_REPLICA_LOG };
}

function canStartPair(): boolean {
  const runsServers = process.getuid?.() === 0 || os.userInfo().username === 'postgres';
  return runsServers && existsSync('/usr/lib/postgresql');
}

async function startOwnPair(): Promise<Pair> {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'bff-replica-'));
  // The servers run as postgres: the folder above theirs must let them through.
  chmodSync(parent, 0o755);
  const dir = path.join(parent, 'pair');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const printed = execFileSync('bash', [SCRIPT, 'start', dir], {
    encoding: 'utf8',
    env: { ...process.env, PRIMARY_PORT: String(primaryPort), REPLICA_PORT: String(replicaPort) },
    timeout: 120_000,
  });
  const value = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(printed)![1];
  return {
    primaryUrl: value('TEST_REPLICA_PRIMARY_URL'),
    replicaUrl: value('TEST_REPLICA_URL'),
    replicaData: value('TEST_REPLICA_DATA'),
    replicaLog: value('TEST_REPLICA_LOG'),
    ownDir: parent,
  };
}

const given = pairFromEnvironment();
const available = given !== undefined || canStartPair();
const required = Boolean(process.env.CI);
if (!available && !required) console.warn('read-replica test skipped: no TEST_REPLICA_* pair, and this user cannot start PostgreSQL servers');

function postgresTool(name: string): string {
  const version = execFileSync('ls', ['/usr/lib/postgresql'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort().at(-1);
  return `/usr/lib/postgresql/${version}/bin/${name}`;
}

function asPostgres(tool: string, args: string[]): void {
  const command = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', postgresTool(tool), ...args]] : [postgresTool(tool), args];
  execFileSync(command[0] as string, command[1] as string[], { stdio: 'ignore', timeout: 60_000 });
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type Answer = { data?: any; errors?: { message: string; extensions?: Record<string, any> }[]; statements: number; status: number };

async function gql(
  server: ServerProcess,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await response.json()) as object), statements: Number(response.headers.get('x-sql-statements')), status: response.status };
}

async function ok(server: ServerProcess, query: string, variables: Record<string, unknown>, token?: string): Promise<Answer> {
  const answer = await gql(server, query, variables, token);
  if (answer.errors) throw new Error(`unexpected errors: ${JSON.stringify(answer.errors)}`);
  return answer;
}

async function metrics(server: ServerProcess): Promise<string> {
  return (await fetch(server.url.replace('/graphql', '/metrics'))).text();
}

function metric(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** Probes of the replica the server has finished with an answer. */
async function probesAnswered(server: ServerProcess): Promise<number> {
  return metric(await metrics(server), 'bff_database_replica_probes_total', 'replica="replica1",outcome="answered"')!;
}

async function replicaReads(server: ServerProcess): Promise<number> {
  return metric(await metrics(server), 'bff_database_reads_total', 'target="replica"')!;
}

async function readiness(server: ServerProcess): Promise<{ status: number; body: any }> {
  const response = await fetch(server.url.replace('/graphql', '/readyz'));
  return { status: response.status, body: await response.json() };
}

/** The answer and how many of its statements the replica served (the counter is the server's own). */
async function measured(server: ServerProcess, send: () => Promise<Answer>): Promise<{ answer: Answer; onReplica: number }> {
  const before = await replicaReads(server);
  const answer = await send();
  return { answer, onReplica: (await replicaReads(server)) - before };
}

const usable = (server: ServerProcess) => waitFor('the replica to be usable', async () => (await readiness(server)).body.replicas?.[0]?.usable === true);

/** Statements an operation sends to the primary whatever the routing: the session check, and the dashboard's fold of pending tally changes (a write). */
const ON_PRIMARY: Record<string, number> = { ActivationDashboard: 2, Customers: 1, Users: 1, Me: 1 };

/** Every statement of the read but those on the primary anyway came from the replica. */
function expectServedByReplica(name: string, read: { answer: Answer; onReplica: number }): void {
  expect(read.answer.statements).toBeGreaterThan(ON_PRIMARY[name]);
  expect(read.onReplica).toBe(read.answer.statements - ON_PRIMARY[name]);
}

const istToday = () => new Date(Date.now() + 5.5 * 3_600_000).toISOString().slice(0, 10);

describe.skipIf(!available && !required)('read replicas on a real streaming replica', () => {
  let pair: Pair;
  let database: { url: string; drop(): Promise<void> };
  let databaseName: string;
  let replicaUrl: string;
  let primary: pg.Client;
  let replica: pg.Client;
  let first: ServerProcess;
  let second: ServerProcess;
  let strict: ServerProcess;
  let adminToken: string;
  let customerToken: string;
  let productId: string;
  const prefix = `test:replicas:${randomBytes(6).toString('hex')}:`;
  /** Milliseconds, printed at the end (docs/deployment.md quotes a run). */
  const measuredMs: Record<string, number> = {};
  const since = (started: number) => Math.round(performance.now() - started);

  /** The replica's processes, for SIGSTOP/SIGCONT. */
  const replicaPids = (): number[] => {
    const postmaster = Number(readFileSync(path.join(pair.replicaData, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  };
  /** Statements of this test's database in the replica's log, the probe's own left out. */
  // One entry per logged statement: PostgreSQL continues a multi-line statement on lines that begin with a tab.
  const loggedOnReplica = (): string[] =>
    readFileSync(pair.replicaLog, 'utf8')
      .split(/\n(?!\t)/)
      .filter((line) => line.includes(` ${databaseName} `) && /LOG: {2}(statement|execute)/.test(line) && !line.includes('pg_is_in_recovery'));
  /** Commits a transaction on the primary and waits for the replica to replay it: its replay time is now. */
  const freshCommitReplayed = async () => {
    const { rows } = await primary.query<{ lsn: string }>('SELECT txid_current(), pg_current_wal_lsn()::text AS lsn');
    await waitFor(
      'the replica to replay the commit',
      async () => (await replica.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [rows[0].lsn])).rows[0].done as boolean,
    );
  };
  /**
   * Commits, waits for the replica to replay it, then for every server to probe the replica since: their
   * routing then knows the replica holds every earlier write (a user who wrote just before reads from the
   * primary until a probe reports the replayed position).
   */
  const replayedAndProbed = async () => {
    await freshCommitReplayed();
    const servers = [first, second, strict];
    const before = await Promise.all(servers.map(probesAnswered));
    // A probe running when the replay finished may have measured before it; the one after it cannot have.
    await Promise.all(servers.map((server, index) => waitFor('a probe after the replay', async () => (await probesAnswered(server)) >= before[index] + 2)));
  };

  beforeAll(async () => {
    pair = given ?? (await startOwnPair());
    database = await createServerDatabase('bff_replica', pair.primaryUrl);
    databaseName = new URL(database.url).pathname.slice(1);
    replicaUrl = withDatabase(pair.replicaUrl, databaseName);
    primary = new pg.Client({ connectionString: database.url });
    primary.on('error', () => {});
    await primary.connect();
    replica = await waitFor('the database on the replica', async () => {
      const client = new pg.Client({ connectionString: replicaUrl });
      // Stopping the replica ends this connection: the test opens another.
      client.on('error', () => {});
      await client.connect();
      return client;
    });
    const environment = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      DATABASE_REPLICA_URLS: replicaUrl,
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      REDIS_URL: REDIS,
      REDIS_KEY_PREFIX: prefix,
      TRUST_PROXY: 'true',
      JWT_SECRET: 'read-replica-secret-at-least-32-bytes!!',
      BCRYPT_COST: '4',
      SWEEP_SCHEDULE: 'off',
      LOG_LEVEL: 'info',
      ...MFA_OFF,
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'bff-replica-data-')),
    };
    // The first applies the migrations; then the other two at once.
    first = await startServerProcess(environment);
    [second, strict] = await Promise.all([startServerProcess(environment), startServerProcess({ ...environment, DATABASE_REPLICA_MAX_LAG_SECONDS: '1' })]);

    const email = uniqueEmail('replica-admin');
    const created = await runScript(
      'scripts/user-create.ts',
      ['--role', 'ADMIN', '--email', email, '--password', STRONG_PASSWORD, '--name', 'Replica Admin'],
      environment,
    );
    expect(created.code).toBe(0);
    adminToken = (
      await ok(first, `mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken } }`, { i: email, p: STRONG_PASSWORD })
    ).data.login.accessToken;
    const supplier = await ok(
      first,
      `mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { supplier { id } } }`,
      {
        input: {
          name: 'Replica Dairy',
          roles: ['SUPPLIER'],
          email: uniqueEmail('replica-supplier'),
          password: STRONG_PASSWORD,
          supplier: { businessName: 'Replica Dairy' },
        },
      },
      adminToken,
    );
    productId = (
      await ok(
        first,
        contractOperation('CreateProduct'),
        { input: { supplierId: supplier.data.createStaffUser.supplier.id, name: 'Toned milk', unit: '500 ml', pricePaise: 2800 } },
        adminToken,
      )
    ).data.createProduct.id;
    const registered = await gql(
      first,
      REGISTER,
      { input: { name: 'Replica Customer', password: STRONG_PASSWORD, email: uniqueEmail('replica-customer') } },
      undefined,
      fromNewIp().headers,
    );
    customerToken = registered.data.register.accessToken;
    await Promise.all([usable(first), usable(second), usable(strict)]);
    // The admin and the customer wrote just now: their reads stay on the primary until a probe sees them replayed.
    await replayedAndProbed();
  }, 240_000);

  afterAll(async () => {
    console.info(`read replicas, measured (ms): ${JSON.stringify(measuredMs)}`);
    try {
      if (replica) await replica.query('SELECT pg_wal_replay_resume()').catch(() => {});
    } finally {
      await Promise.all([first?.stop(), second?.stop(), strict?.stop()]);
      await primary?.end().catch(() => {});
      await replica?.end().catch(() => {});
      const redis = new Redis(REDIS);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await database?.drop();
      if (pair?.ownDir) {
        execFileSync('bash', [SCRIPT, 'stop', path.join(pair.ownDir, 'pair')], { stdio: 'ignore' });
        rmSync(pair.ownDir, { recursive: true, force: true });
      }
    }
  }, 120_000);

  it('serves the dashboard and the listings from the replica: every statement but the session check', async () => {
    const loggedBefore = loggedOnReplica().length;
    for (const [name, variables] of [
      ['ActivationDashboard', {}],
      ['Customers', { first: 10 }],
      ['Users', { first: 10 }],
    ] as const) {
      expectServedByReplica(name, await measured(first, () => ok(first, contractOperation(name), variables, adminToken)));
    }
    const logged = loggedOnReplica().slice(loggedBefore);
    expect(logged.some((line) => line.includes('"Customer"'))).toBe(true);
    expect(logged.some((line) => line.includes('"User"'))).toBe(true);
    // The session check is never among them.
    expect(logged.some((line) => line.includes('FROM "Session"'))).toBe(false);
    const text = await metrics(first);
    expect(metric(text, 'bff_database_replica_lag_seconds', 'replica="replica1"')).toBeGreaterThanOrEqual(0);
    expect(metric(text, 'bff_database_replica_usable', 'replica="replica1"')).toBe(1);
    expect(metric(text, 'bff_database_replica_probes_total', 'replica="replica1",outcome="answered"')).toBeGreaterThan(0);
    expect(metric(text, 'bff_database_replica_probes_total', 'replica="replica1",outcome="failed"')).toBe(0);
    expect(metric(text, 'bff_database_reads_total', 'target="primary"')).toBeGreaterThan(0);
  });

  it('keeps a mutation on the primary, and its author reads it back on another instance while the replica lacks it', async () => {
    await replayedAndProbed();
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      const placed = await measured(first, () =>
        ok(first, contractOperation('PlaceOrder'), { input: { items: [{ productId, quantity: 2 }], deliveryDate: istToday() } }, customerToken),
      );
      expect(placed.onReplica).toBe(0);
      const orderId = placed.answer.data.placeOrder.id as string;
      expect((await primary.query('SELECT count(*)::int AS n FROM "Order" WHERE "id" = $1', [orderId])).rows[0].n).toBe(1);
      // The replica has not replayed the order, and is still usable (its lag is under 30 s)…
      expect((await replica.query('SELECT count(*)::int AS n FROM "Order" WHERE "id" = $1', [orderId])).rows[0].n).toBe(0);
      expect((await readiness(second)).body.replicas[0].usable).toBe(true);
      const others = await measured(second, () => ok(second, contractOperation('Customers'), { first: 10 }, adminToken));
      expectServedByReplica('Customers', others);
      // …but the customer's own listing, on the other instance, comes from the primary and holds the order.
      const mine = await measured(second, () => ok(second, contractOperation('Me'), {}, customerToken));
      expect(mine.onReplica).toBe(0);
      expect(mine.answer.data.me.customer.orders.edges.map((edge: any) => edge.node.id)).toContain(orderId);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
    const resumed = performance.now();
    // Once the replica has replayed the write, the customer's reads go back to it.
    const back = await waitFor('the customer read from the replica again', async () => {
      const read = await measured(second, () => ok(second, contractOperation('Me'), {}, customerToken));
      return read.onReplica > 0 ? read : undefined;
    });
    measuredMs.replayResumedToOwnReadsOnReplica = since(resumed);
    expectServedByReplica('Me', back);
    expect(back.answer.data.me.customer.orders.totalCount).toBe(1);
  });

  it('answers from the primary when the replica stops answering mid-request, and when it is stopped; uses it again once back', async () => {
    const fallbacksBefore = metric(await metrics(first), 'bff_database_replica_fallbacks_total', 'replica="replica1"') ?? 0;
    const pids = replicaPids();
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    let frozen;
    const frozenAt = performance.now();
    try {
      frozen = await measured(first, () => gql(first, contractOperation('ActivationDashboard'), {}, adminToken));
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    measuredMs.dashboardOnFrozenReplicaAnswered = since(frozenAt);
    expect(frozen.answer.errors).toBeUndefined();
    expect(frozen.answer.data.activationDashboard.totalCustomers).toBe(1);
    expect(frozen.onReplica).toBe(0);
    expect(metric(await metrics(first), 'bff_database_replica_fallbacks_total', 'replica="replica1"')).toBe(fallbacksBefore + 1);
    await usable(first);

    asPostgres('pg_ctl', ['-D', pair.replicaData, '-w', '-m', 'fast', 'stop']);
    const stoppedAt = performance.now();
    try {
      await waitFor('the stopped replica to be skipped', async () => (await readiness(first)).body.replicas[0].usable === false);
      measuredMs.stoppedReplicaSkipped = since(stoppedAt);
      expect(metric(await metrics(first), 'bff_database_replica_probes_total', 'replica="replica1",outcome="failed"')).toBeGreaterThan(0);
      const ready = await readiness(first);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ ready: true, replicas: [{ name: 'replica1', up: false, usable: false, lagSeconds: null }] });
      for (const name of ['ActivationDashboard', 'Customers']) {
        const read = await measured(first, () => gql(first, contractOperation(name), name === 'Customers' ? { first: 10 } : {}, adminToken));
        expect(read.answer.errors).toBeUndefined();
        expect(read.onReplica).toBe(0);
      }
      expect(metric(await metrics(first), 'bff_database_replica_lag_seconds', 'replica="replica1"')).toBeUndefined();
    } finally {
      asPostgres('pg_ctl', ['-D', pair.replicaData, '-w', '-l', pair.replicaLog, 'start']);
    }
    const startedAgain = performance.now();
    await replica.end().catch(() => {});
    replica = await waitFor('the replica to accept connections again', async () => {
      const client = new pg.Client({ connectionString: replicaUrl });
      // Stopping the replica ends this connection: the test opens another.
      client.on('error', () => {});
      await client.connect();
      return client;
    });
    await usable(first);
    measuredMs.restartedReplicaUsedAgain = since(startedAgain);
    const again = await measured(first, () => ok(first, contractOperation('ActivationDashboard'), {}, adminToken));
    expectServedByReplica('ActivationDashboard', again);
    expect(first.output()).toContain('read replica skipped: reads go to the primary');
  });

  it('skips a replica lagging more than the maximum (an idle primary is no lag), and uses it again once it catches up', async () => {
    await freshCommitReplayed();
    // Idle: the replica has replayed all it received, however long ago the last commit was.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const idle = await readiness(strict);
    expect(idle.body.replicas[0]).toMatchObject({ usable: true, lagSeconds: 0 });

    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      await primary.query('SELECT txid_current()');
      const writtenAt = performance.now();
      const lagging = await waitFor('the replica to lag more than 1 s', async () => {
        const ready = await readiness(strict);
        return ready.body.replicas[0].usable === false ? ready : undefined;
      });
      measuredMs.laggingReplicaSkipped = since(writtenAt);
      expect(lagging.status).toBe(200);
      expect(lagging.body.replicas[0].up).toBe(true);
      expect(lagging.body.replicas[0].lagSeconds).toBeGreaterThan(1);
      expect(metric(await metrics(strict), 'bff_database_replica_lag_seconds', 'replica="replica1"')).toBeGreaterThan(1);
      expect(metric(await metrics(strict), 'bff_database_replica_usable', 'replica="replica1"')).toBe(0);
      const skipped = await measured(strict, () => ok(strict, contractOperation('ActivationDashboard'), {}, adminToken));
      expect(skipped.onReplica).toBe(0);
      // The instance allowing 30 s still reads from it.
      const allowed = await measured(first, () => ok(first, contractOperation('ActivationDashboard'), {}, adminToken));
      expectServedByReplica('ActivationDashboard', allowed);
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
    const resumedAt = performance.now();
    await usable(strict);
    measuredMs.caughtUpReplicaUsedAgain = since(resumedAt);
    const caughtUp = await measured(strict, () => ok(strict, contractOperation('ActivationDashboard'), {}, adminToken));
    expectServedByReplica('ActivationDashboard', caughtUp);
  });
});
