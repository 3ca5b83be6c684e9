// A rolling deploy end to end, the way production runs it (docs/deployment.md, "Rolling deploys"): two
// server processes on one PostgreSQL database behind PgBouncer in transaction mode and one Redis. Instance 1
// serves load from a second process (test/support/rolling-load.ts); instance 2 starts while it does; the
// load spreads over both; instance 1 gets SIGTERM while the load goes on. No request fails except with a
// retryable answer that a retry on the other instance then settles; a token issued by one instance works on
// the other; the lockout and the address throttle count across both; the sweep runs once between them and
// the two dispatchers deliver every message once.
// It runs in the pass through the PgBouncer that .ci/run starts (TEST_DATABASE_DIRECT_URL set).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { earliestSendingTime } from '../../src/modules/messages/message.schedule.js';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';
import { createServerDatabase, testDatabaseTarget, type ServerDatabase } from '../support/database.js';
import { STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, REGISTER } from '../support/operations.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { MFA_OFF } from '../support/second-factor.js';

const REDIS = 'redis://127.0.0.1:6379';
const throughPgBouncer = testDatabaseTarget() === 'postgres' && Boolean(process.env.TEST_DATABASE_DIRECT_URL);

type Answer = { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code ?? 'OK';

/** The messaging gateway: answers 200 at once and records the idempotency key of every request. */
class GatewayStandIn {
  readonly keys: string[] = [];
  private readonly server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      this.keys.push(String(request.headers['idempotency-key']));
      response.statusCode = 200;
      response.end('{}');
    });
  });
  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/messages`;
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface LoadSummary {
  requests: number;
  retries: number;
  retryReasons: Record<string, number>;
  unavailableByOperation: Record<string, number>;
  failures: { operation: string; reason: string }[];
  byTarget: Record<string, number>;
  logins: number;
  meAnswered: number;
  meOnOtherInstance: number;
  orders: Record<string, string>;
  lockout: string[];
  throttle: string[];
  durationMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gql(instance: ServerProcess, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(instance.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

describe.skipIf(!throughPgBouncer)('a rolling deploy under load, behind PgBouncer and Redis', () => {
  let database: ServerDatabase;
  let handle: DatabaseHandle;
  const gateway = new GatewayStandIn();
  const prefix = `test:rolling:${randomBytes(6).toString('hex')}:`;
  let environment: Record<string, string>;
  const running: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createServerDatabase('bff_rolling');
    environment = {
      NODE_ENV: 'test',
      ...database.environment,
      REDIS_URL: REDIS,
      REDIS_KEY_PREFIX: prefix,
      TRUST_PROXY: 'true',
      JWT_SECRET: 'rolling-deploy-load-secret-at-least-32-bytes!',
      BCRYPT_COST: '4',
      SWEEP_SCHEDULE: 'off',
      MESSAGE_CHANNEL: 'webhook',
      MESSAGE_WEBHOOK_URL: await gateway.start(),
      MESSAGE_DISPATCH: 'on',
      MESSAGE_POLL_MS: '200',
      LOG_LEVEL: 'info',
      // The admin is made by a role change in the database, with no second factor to enrol.
      ...MFA_OFF,
      DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'bff-rolling-')),
    };
  }, 60_000);

  afterAll(async () => {
    await Promise.all(running.map((instance) => instance.stop().catch(() => undefined)));
    await handle?.close();
    const redis = new Redis(REDIS);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await gateway.close();
    await database?.drop();
  });

  it('serves without a failed request, keeps sessions, lockouts and throttles, and sweeps and sends once', { timeout: 300_000 }, async () => {
    const first = await startServerProcess(environment, 90_000);
    running.push(first);
    handle = await openDatabase({ url: database.directUrl, poolSize: 2 });

    // Accounts through the API; an admin and a supplier by role change, as an operator does.
    const register = async (name: string) => {
      const email = uniqueEmail('rolling');
      const answer = await gql(first, REGISTER, { input: { name, password: STRONG_PASSWORD, email } }, fromNewIp().headers);
      if (!answer.data) throw new Error(JSON.stringify(answer.errors));
      return { email, token: answer.data.register.accessToken as string, userId: answer.data.register.user.id as string };
    };
    const admin = await register('Rolling Admin');
    await handle.prisma.user.update({ where: { id: admin.userId }, data: { roles: ['ADMIN'] } });
    const supplierUser = await register('Rolling Supplier');
    const supplier = await handle.prisma.supplier.create({ data: { userId: supplierUser.userId, businessName: 'Rolling Dairy', commissionRateBps: 1000 } });
    const product = await gql(
      first,
      `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      { input: { supplierId: supplier.id, name: 'Rolling Milk', unit: '500 ml', pricePaise: 3_200 } },
      { authorization: `Bearer ${admin.token}` },
    );
    expect(product.errors).toBeUndefined();
    const accounts = [];
    for (let index = 0; index < 4; index += 1) accounts.push({ email: (await register(`Rolling Customer ${index}`)).email, password: STRONG_PASSWORD });
    const victim = await register('Rolling Victim');
    // Customers gone quiet for 45 days, for the sweep. They agreed to promotional messages: a re-engagement
    // is one, and without consent the dispatcher would suppress it rather than send it.
    const longAgo = new Date(Date.now() - 45 * 24 * 3600 * 1000);
    const churned: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const phone = uniquePhone();
      const user = await handle.prisma.user.create({
        data: {
          name: `Quiet ${index}`,
          phone,
          roles: ['CUSTOMER'],
          customer: {
            create: {
              name: `Quiet ${index}`,
              phone,
              activationStatus: 'ACTIVE',
              signupAt: longAgo,
              firstOrderAt: longAgo,
              lastOrderAt: longAgo,
              marketingConsent: true,
              marketingConsentAt: longAgo,
            },
          },
        },
        include: { customer: true },
      });
      churned.push(user.customer!.id);
    }
    const tomorrow = new Date(Date.now() + 5.5 * 3600 * 1000 + 24 * 3600 * 1000).toISOString().slice(0, 10);

    // The load, from a process of its own.
    const plan = {
      accounts,
      victim: victim.email,
      productId: product.data.createProduct.id,
      deliveryDate: tomorrow,
      maxRequests: 6_000,
      maxMs: 120_000,
      lockoutAttempts: 20,
      throttleAttempts: 40,
    };
    const load = spawn(process.execPath, ['--import', 'tsx', 'test/support/rolling-load.ts', JSON.stringify(plan)], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let loadOutput = '';
    let loadErrors = '';
    load.stdout.on('data', (chunk) => (loadOutput += chunk));
    load.stderr.on('data', (chunk) => (loadErrors += chunk));
    const loadExited = once(load, 'close');
    load.stdin.write(`targets ${first.url}\n`);
    await sleep(3_000);

    const secondStarting = Date.now();
    const second = await startServerProcess(environment, 90_000);
    const secondStartMs = Date.now() - secondStarting;
    running.push(second);
    load.stdin.write(`targets ${first.url} ${second.url}\n`);
    // Both instances sweep at once, twice each: one holds the lock, the others find it taken or nobody left.
    const sweeps = await Promise.all(
      [first, second, first, second].map((instance) =>
        gql(instance, `mutation { runInactivitySweep { markedInactive } }`, {}, { authorization: `Bearer ${admin.token}` }),
      ),
    );
    await sleep(5_000);

    // Instance 1 stops while the load still sends to it.
    const stopping = Date.now();
    const stopped = await first.stop('SIGTERM');
    const firstStopMs = Date.now() - stopping;
    running.splice(running.indexOf(first), 1);
    await sleep(5_000);
    load.stdin.write(`targets ${second.url}\n`);
    await sleep(1_000);
    load.stdin.write('stop\n');
    const [exitCode] = await loadExited;
    expect(loadErrors).toBe('');
    expect(exitCode).toBe(0);
    const summary = JSON.parse(loadOutput.trim().split('\n').at(-1)!) as LoadSummary;
    const { lockout, throttle, ...counts } = summary;
    const answeredAs = (codes: string[], code: string) => codes.filter((answer) => answer === code).length;
    console.info(
      `rolling deploy: ${JSON.stringify({ ...counts, orders: Object.keys(summary.orders).length, secondStartMs, firstStopMs, wrongPasswordsAnswered: answeredAs(lockout, 'INVALID_CREDENTIALS'), resetsAnswered: answeredAs(throttle, 'OK') })}`,
    );

    expect(stopped.code).toBe(0);
    // No failures; every retry was for a retryable reason and ended in an answer on the other instance.
    expect(summary.failures).toEqual([]);
    expect(
      Object.keys(summary.retryReasons).every((reason) =>
        ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'HTTP 503 SERVICE_UNAVAILABLE'].includes(reason),
      ),
    ).toBe(true);
    expect(summary.byTarget[first.url]).toBeGreaterThan(0);
    expect(summary.byTarget[second.url]).toBeGreaterThan(0);
    // Sessions: tokens signed by one instance read `me` on the other.
    expect(summary.meOnOtherInstance).toBeGreaterThan(0);
    expect(summary.meAnswered).toBe(summary.logins);

    // Each idempotency key made exactly one order, retries included.
    const keys = Object.keys(summary.orders);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(Object.values(summary.orders)).size).toBe(keys.length);
    const customerIds = (
      await handle.prisma.customer.findMany({ where: { user: { email: { in: accounts.map((account) => account.email) } } }, select: { id: true } })
    ).map((customer) => customer.id);
    expect(await handle.prisma.order.count({ where: { customerId: { in: customerIds } } })).toBe(keys.length);

    // The lockout: 10 wrong passwords over both instances, then RATE_LIMITED on either, even the right one.
    // A try answered 503 (Redis or the database too slow on a loaded machine) may have been counted before
    // it was refused: each such try stands for one of the 10.
    const lockoutRefused = summary.unavailableByOperation.lockout ?? 0;
    const wrongAnswered = summary.lockout.filter((code) => code === 'INVALID_CREDENTIALS').length;
    expect(wrongAnswered).toBeLessThanOrEqual(10);
    expect(wrongAnswered).toBeGreaterThanOrEqual(10 - lockoutRefused);
    expect(summary.lockout).toEqual([...Array(wrongAnswered).fill('INVALID_CREDENTIALS'), ...Array(20 - wrongAnswered).fill('RATE_LIMITED')]);
    expect(codeOf(await gql(second, LOGIN, { identifier: victim.email, password: STRONG_PASSWORD }, fromNewIp().headers))).toBe('RATE_LIMITED');
    // The address throttle: 30 password-reset requests in all across both instances, the same way.
    const throttleRefused = summary.unavailableByOperation.throttle ?? 0;
    const resetsAnswered = summary.throttle.filter((code) => code === 'OK').length;
    expect(resetsAnswered).toBeLessThanOrEqual(30);
    expect(resetsAnswered).toBeGreaterThanOrEqual(30 - throttleRefused);
    expect(summary.throttle).toEqual([...Array(resetsAnswered).fill('OK'), ...Array(40 - resetsAnswered).fill('RATE_LIMITED')]);

    // One sweep between the two instances: each quiet customer moved once, one re-engagement message each.
    for (const sweep of sweeps) expect(['OK', 'CONFLICT']).toContain(codeOf(sweep));
    expect(sweeps.reduce((sum, sweep) => sum + (sweep.data?.runInactivitySweep?.markedInactive ?? 0), 0)).toBe(churned.length);
    const events = await handle.prisma.activationEvent.groupBy({
      by: ['customerId'],
      where: { customerId: { in: churned }, toStatus: 'INACTIVE' },
      _count: true,
    });
    expect(events.map((event) => event._count)).toEqual(Array(churned.length).fill(1));

    // The two dispatchers: every message that is due delivered, none twice. A re-engagement is promotional:
    // one queued outside 09:00–21:00 IST waits, unsent, for the next 09:00 IST (docs/messages.md "Quiet
    // hours"), so what this run expects depends on the hour it runs at.
    const deadline = Date.now() + 30_000;
    while ((await handle.prisma.outboxMessage.count({ where: { status: 'PENDING', nextAttemptAt: { lte: new Date() } } })) > 0 && Date.now() < deadline)
      await sleep(250);
    const messages = await handle.prisma.outboxMessage.findMany({
      select: { dedupeKey: true, template: true, status: true, attempts: true, createdAt: true, nextAttemptAt: true },
    });
    const deferredUntil = (message: (typeof messages)[number]) =>
      message.template === 'REENGAGEMENT' && earliestSendingTime('promotional', message.createdAt) > message.createdAt
        ? earliestSendingTime('promotional', message.createdAt)
        : null;
    const deferred = messages.filter((message) => deferredUntil(message) !== null);
    for (const message of deferred) expect(message).toMatchObject({ status: 'PENDING', attempts: 0, nextAttemptAt: deferredUntil(message) });
    const sent = messages.filter((message) => deferredUntil(message) === null);
    expect(sent.map((message) => message.status)).toEqual(Array(sent.length).fill('SENT'));
    // A welcome per registration (admin, supplier, 4 customers, the victim), a first-order confirmation per
    // customer who ordered, a re-engagement per quiet customer.
    expect(messages.length).toBe(7 + accounts.length + churned.length);
    expect([...gateway.keys].sort()).toEqual(sent.map((message) => message.dedupeKey).sort());
    console.info(`rolling deploy: ${sent.length} messages sent, ${deferred.length} re-engagements deferred to 09:00 IST`);
    const reengagements = await handle.prisma.outboxMessage.count({ where: { customerId: { in: churned }, template: 'REENGAGEMENT' } });
    expect(reengagements).toBe(churned.length);
  });
});
