// Two server processes on one PostgreSQL database and one Redis (SPEC §2, §4): the lockout and the IP
// throttle hold across them, a refresh token rotated on one instance is detected as reused on the other,
// and an inactivity sweep started on both at once moves each customer once.
// It needs a PostgreSQL server: TEST_DATABASE_URL, else the local one below. Only a developer machine
// without one skips it; in the postgres project and in CI a missing server fails the test.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createServerDatabase, testDatabaseTarget, type ServerDatabase } from '../support/database.js';
import { STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, REFRESH, REGISTER, REQUEST_RESET } from '../support/operations.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { MFA_OFF } from '../support/second-factor.js';
import { codeOf } from './http.helpers.js';

const POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const REDIS = 'redis://127.0.0.1:6379';

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch {
    return false;
  }
}

const required = testDatabaseTarget() === 'postgres' || Boolean(process.env.TEST_DATABASE_URL) || Boolean(process.env.CI);
const available =
  (await answers(async () => {
    const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2_000 });
    await client.connect();
    await client.end();
  })) &&
  (await answers(async () => {
    const redis = new Redis(REDIS, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
    await redis.connect();
    await redis.ping();
    redis.disconnect();
  }));
if (!available && !required) console.warn('multi-instance test skipped: no PostgreSQL and Redis on this machine');

type Answer = { data?: any; errors?: { extensions?: Record<string, any> }[] };

describe.skipIf(!available && !required)('two server instances on one PostgreSQL and one Redis', () => {
  let database: ServerDatabase;
  let handle: DatabaseHandle;
  let first: ServerProcess;
  let second: ServerProcess;
  const prefix = `test:multi:${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    database = await createServerDatabase('bff_multi', POSTGRES);
    const environment = {
      NODE_ENV: 'test',
      ...database.environment,
      REDIS_URL: REDIS,
      REDIS_KEY_PREFIX: prefix,
      TRUST_PROXY: 'true',
      JWT_SECRET: 'multi-instance-secret-at-least-32-bytes!',
      BCRYPT_COST: '4',
      SWEEP_SCHEDULE: 'off',
      LOG_LEVEL: 'info',
      // The sweep's admin is made by a role change in the database, with no second factor to enrol.
      ...MFA_OFF,
      DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'bff-multi-')),
    };
    // One after the other: the first applies the migrations.
    first = await startServerProcess(environment);
    second = await startServerProcess(environment);
    // The test's own reads and row changes go straight to the server (through PgBouncer or not, the instances' way).
    handle = await openDatabase({ url: database.directUrl, poolSize: 2 });
  }, 180_000);

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await handle?.close();
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await database?.drop();
  });

  async function gql(instance: ServerProcess, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(instance.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  }
  const both = () => [first, second];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  async function register(instance: ServerProcess) {
    const email = uniqueEmail('multi');
    const answer = await gql(instance, REGISTER, { input: { name: 'Two Places', password: STRONG_PASSWORD, email } }, fromNewIp().headers);
    if (!answer.data) throw new Error(JSON.stringify(answer.errors));
    return { email, ...answer.data.register };
  }

  it('locks an account after 10 failures spread over both instances', async () => {
    const account = await register(first);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const instance = both()[attempt % 2];
      expect(codeOf(await gql(instance, LOGIN, { identifier: account.email, password: `wrong ${attempt} on two` }, fromNewIp().headers))).toBe(
        'INVALID_CREDENTIALS',
      );
    }
    for (const instance of both()) {
      const locked = await gql(instance, LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp().headers);
      expect(locked.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    }
  });

  it('evaluates at most 10 of a burst sent to both instances at once', async () => {
    const account = await register(second);
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        gql(both()[index % 2], LOGIN, { identifier: account.email, password: `burst guess ${index}` }, fromNewIp().headers),
      ),
    );
    expect(burst.filter((answer) => codeOf(answer) === 'INVALID_CREDENTIALS').length).toBeLessThanOrEqual(10);
    expect(codeOf(await gql(first, LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp().headers))).toBe('RATE_LIMITED');
  });

  it('throttles one client address to 30 attempts in total across both instances', async () => {
    const client = fromNewIp().headers;
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const answer = await gql(both()[attempt % 2], REQUEST_RESET, { identifier: uniqueEmail('nobody') }, client);
      expect(answer.data?.requestPasswordReset).toBe(true);
    }
    for (const instance of both()) {
      expect(codeOf(await gql(instance, REQUEST_RESET, { identifier: uniqueEmail('nobody') }, client))).toBe('RATE_LIMITED');
    }
    // Another address is untouched.
    expect(codeOf(await gql(second, REQUEST_RESET, { identifier: uniqueEmail('nobody') }, fromNewIp().headers))).toBe('OK');
  });

  it('detects a refresh token reused on the other instance and revokes the whole session', async () => {
    const account = await register(first);
    const rotated = await gql(second, REFRESH, { refreshToken: account.refreshToken });
    expect(rotated.errors).toBeUndefined();
    // Within 10 seconds of the rotation the other instance sees a race, not a theft.
    expect(codeOf(await gql(first, REFRESH, { refreshToken: account.refreshToken }))).toBe('REFRESH_RACE');
    // The rotation moves back a minute (the servers' clocks are real, so the row's time is moved instead).
    await handle.prisma.$executeRaw`
      UPDATE "RefreshToken" SET "rotatedAt" = "rotatedAt" - interval '1 minute'
      WHERE "rotatedAt" IS NOT NULL AND "sessionId" IN (SELECT "id" FROM "Session" WHERE "userId" = ${account.user.id}::uuid)`;
    expect(codeOf(await gql(first, REFRESH, { refreshToken: account.refreshToken }))).toBe('UNAUTHENTICATED');
    const newest = rotated.data.refreshSession;
    expect(codeOf(await gql(second, REFRESH, { refreshToken: newest.refreshToken }))).toBe('UNAUTHENTICATED');
    for (const instance of both()) expect(codeOf(await gql(instance, `{ me { id } }`, {}, bearer(newest.accessToken)))).toBe('UNAUTHENTICATED');
  });

  it('moves each churned customer once when both instances sweep at the same moment', async () => {
    const admin = await register(first);
    await handle.prisma.user.update({ where: { id: admin.user.id }, data: { roles: ['ADMIN'] } });
    const longAgo = new Date(Date.now() - 45 * 24 * 3600 * 1000);
    const churned: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const phone = uniquePhone();
      const user = await handle.prisma.user.create({
        data: {
          name: `Churned ${index}`,
          phone,
          roles: ['CUSTOMER'],
          customer: {
            create: {
              name: `Churned ${index}`,
              phone,
              activationStatus: index % 2 ? 'ACTIVE' : 'ONBOARDED',
              signupAt: longAgo,
              firstOrderAt: longAgo,
              lastOrderAt: longAgo,
            },
          },
        },
        include: { customer: true },
      });
      churned.push(user.customer!.id);
    }
    const sweep = `mutation { runInactivitySweep { markedInactive } }`;
    const runs = await Promise.all([first, second, first, second].map((instance) => gql(instance, sweep, {}, bearer(admin.accessToken))));
    for (const run of runs) expect(['OK', 'CONFLICT']).toContain(codeOf(run));
    const moved = runs.reduce((sum, run) => sum + (run.data?.runInactivitySweep?.markedInactive ?? 0), 0);
    expect(moved).toBe(churned.length);
    const events = await handle.prisma.activationEvent.groupBy({
      by: ['customerId'],
      where: { customerId: { in: churned }, toStatus: 'INACTIVE' },
      _count: true,
    });
    expect(events).toHaveLength(churned.length);
    expect(events.every((event) => event._count === 1)).toBe(true);
    const messages = await handle.prisma.outboxMessage.groupBy({
      by: ['customerId'],
      where: { customerId: { in: churned }, template: 'REENGAGEMENT' },
      _count: true,
    });
    expect(messages).toHaveLength(churned.length);
    expect(messages.every((message) => message._count === 1)).toBe(true);
    expect(await handle.prisma.customer.count({ where: { id: { in: churned }, activationStatus: 'INACTIVE' } })).toBe(churned.length);
  });
});
