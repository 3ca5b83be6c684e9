// Redis killed or frozen, on a redis-server of this test's own: password login fails closed with
// SERVICE_UNAVAILABLE within the command timeout, `me` answers within a second without Redis, /readyz
// reports Redis, and every log line stays JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD } from '../support/testkit/index.js';
import {
  startFaultServer,
  startPrivatePostgres,
  startPrivateRedis,
  type FaultServer,
  type PrivatePostgres,
  type PrivateRedis,
} from '../support/fault-servers.js';
import { LOGIN, ME_IDENTITY } from '../support/operations.js';

const COMMAND_TIMEOUT_MS = 300;

let postgres: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let server: FaultServer;
let email: string;
let token: string;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  redis = await startPrivateRedis();
  server = await startFaultServer(postgres.url, { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), TRUST_PROXY: '1' });
  const user = await createSignedInUser(server, ['CUSTOMER']);
  email = user.email;
  token = user.token;
});

afterAll(async () => {
  await server?.close().catch(() => {});
  await redis?.kill();
  postgres?.destroy();
});

let ip = 0;
async function timed<T>(work: () => Promise<T>): Promise<{ answer: T; elapsedMs: number }> {
  const started = performance.now();
  const answer = await work();
  return { answer, elapsedMs: performance.now() - started };
}
const login = () => timed(() => server.gql(LOGIN, { identifier: email, password: STRONG_PASSWORD }, { headers: { 'x-forwarded-for': `10.8.0.${++ip}` } }));
const me = () => timed(() => server.gql(ME_IDENTITY, {}, { token }));
const readyz = () =>
  timed(async () => {
    const response = await fetch(server.url.replace('/graphql', '/readyz'));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  });

function expectRefusedFast(answers: { answer: Awaited<ReturnType<typeof server.gql>>; elapsedMs: number }[]) {
  expect(answers.map(({ answer }) => answer.errors?.[0]?.extensions?.code)).toEqual(Array(answers.length).fill('SERVICE_UNAVAILABLE'));
  expect(answers.map(({ answer }) => answer.status)).toEqual(Array(answers.length).fill(503));
  for (const { elapsedMs } of answers) expect(elapsedMs).toBeLessThan(COMMAND_TIMEOUT_MS + 500);
}

describe('Redis faults', () => {
  it('Redis up: login works and /readyz reports Redis', async () => {
    expect((await login()).answer.data?.login.user).toBeTruthy();
    expect((await readyz()).answer).toEqual({ status: 200, body: { ready: true, database: true, pendingMigrations: 0, redis: true } });
  });

  it('Redis frozen: login refused with SERVICE_UNAVAILABLE within the command timeout, me within a second, /readyz 503', async () => {
    redis!.freeze();
    try {
      const logins = [await login(), await login(), await login()];
      expectRefusedFast(logins);
      const mine = await me();
      expect(mine.answer.errors).toBeUndefined();
      expect(mine.answer.data.me.status).toBe('ACTIVE');
      expect(mine.elapsedMs).toBeLessThan(1000);
      const ready = await readyz();
      expect(ready.answer).toEqual({ status: 503, body: { ready: false, database: true, pendingMigrations: 0, redis: false } });
      expect(ready.elapsedMs).toBeLessThan(1000);
    } finally {
      redis!.thaw();
    }
  });

  it('Redis killed: login refused at once, me answers, /readyz 503, and every log line is JSON', async () => {
    await redis!.kill();
    const logins = [await login(), await login(), await login()];
    expectRefusedFast(logins);
    const mine = await me();
    expect(mine.answer.data.me.status).toBe('ACTIVE');
    expect(mine.elapsedMs).toBeLessThan(1000);
    const ready = await readyz();
    expect(ready.answer.status).toBe(503);
    expect(ready.answer.body.redis).toBe(false);
    expect(ready.elapsedMs).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const line of server.lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(server.logged('redis connection error').length).toBeGreaterThan(0);
    expect(server.logged('unexpected error')).toHaveLength(0);
  });
});
