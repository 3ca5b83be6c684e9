// A database that is stopped, restarted or frozen, on a PostgreSQL cluster of this test's own: clients get a
// retryable SERVICE_UNAVAILABLE (HTTP 503) quickly, the log gets one line per few seconds, the server
// recovers by itself, and no acknowledged order is lost or applied twice (a refused one retried with its
// idempotency key settles exactly once).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTAGE_LOG_INTERVAL_MS } from '../../src/server/outage-log.js';
import { createProduct, istToday, makeActor, PLACE_ORDER, type Actor } from '../support/testkit/index.js';
import { startFaultServer, startPrivatePostgres, type FaultServer, type PrivatePostgres } from '../support/fault-servers.js';
import { LOGIN } from '../support/operations.js';

const STATEMENT_TIMEOUT_MS = 1000;
const OUTAGE_LINE = 'dependency unavailable: requests refused';

let postgres: PrivatePostgres | undefined;
let server: FaultServer;
let customer: Actor;
let token: string;
let milk: string;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  server = await startFaultServer(postgres.url, {
    DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
    DATABASE_CONNECT_TIMEOUT_MS: '500',
    TRUST_PROXY: '1',
  });
  const admin = await makeActor(server, ['ADMIN']);
  const supplier = await makeActor(server, ['SUPPLIER']);
  customer = await makeActor(server, ['CUSTOMER']);
  milk = await createProduct(server, admin, supplier.supplierId!, 3000);
  token = await customer.token();
});

afterAll(async () => {
  await server?.close().catch(() => {});
  postgres?.destroy();
});

async function order(idempotencyKey?: string): Promise<{ status: number; id?: string; code?: string; retryAfterSeconds?: number; elapsedMs: number }> {
  const started = performance.now();
  const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined;
  const response = await server.gql(PLACE_ORDER, { input: { items: [{ productId: milk, quantity: 1 }], deliveryDate: istToday(server) } }, { token, headers });
  return {
    status: response.status,
    id: response.data?.placeOrder?.id,
    code: response.errors?.[0]?.extensions?.code,
    retryAfterSeconds: response.errors?.[0]?.extensions?.retryAfterSeconds,
    elapsedMs: performance.now() - started,
  };
}

async function storedOrderIds(): Promise<string[]> {
  const rows = await server.database.prisma.order.findMany({ where: { customerId: customer.customerId! }, select: { id: true } });
  return rows.map((row) => row.id).sort();
}

/** Places orders until one is acknowledged; the time it took from the first try. */
async function untilAcknowledged(acknowledged: string[]): Promise<number> {
  const started = performance.now();
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const answer = await order();
    if (answer.id) {
      acknowledged.push(answer.id);
      return performance.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('no recovery');
}

describe('database faults', () => {
  it('a stopped database answers 503 SERVICE_UNAVAILABLE with retryAfterSeconds, logs one line per interval, and recovers without a restart', async () => {
    const acknowledged: string[] = [];
    for (let index = 0; index < 3; index += 1) acknowledged.push((await order()).id!);
    postgres!.stop();
    const burst = [];
    // Half the burst fails in the session check (before Apollo), half in a resolver (login is public).
    for (let index = 0; index < 10; index += 1) {
      burst.push(await order());
      const login = await server.gql(
        LOGIN,
        { identifier: 'someone@example.in', password: 'a password long enough' },
        { headers: { 'x-forwarded-for': `10.9.0.${index}` } },
      );
      burst.push({ status: login.status, code: login.errors?.[0]?.extensions?.code, retryAfterSeconds: login.errors?.[0]?.extensions?.retryAfterSeconds });
    }
    expect(burst.map((answer) => answer.status)).toEqual(Array(20).fill(503));
    expect(burst.map((answer) => answer.code)).toEqual(Array(20).fill('SERVICE_UNAVAILABLE'));
    expect(burst.map((answer) => answer.retryAfterSeconds)).toEqual(Array(20).fill(5));
    // The whole burst falls within one interval of the server's clock: one line, no stacks.
    expect(server.logged(OUTAGE_LINE)).toHaveLength(1);
    expect(server.logged(OUTAGE_LINE)[0]).toMatchObject({ level: 'warn', dependency: 'database', suppressedSinceLastLine: 0 });
    server.clock.advance(OUTAGE_LOG_INTERVAL_MS);
    expect((await order()).status).toBe(503);
    expect(server.logged(OUTAGE_LINE)).toHaveLength(2);
    expect(server.logged(OUTAGE_LINE)[1].suppressedSinceLastLine).toBe(19);
    expect(server.logged('unexpected error')).toHaveLength(0);
    expect(server.logged('request failed')).toHaveLength(0);

    postgres!.start();
    const recoveryMs = await untilAcknowledged(acknowledged);
    expect(recoveryMs).toBeLessThan(10_000);
    expect(await storedOrderIds()).toEqual([...acknowledged].sort());
  });

  // A restart may cut a connection after the database committed an order and before the server heard so:
  // that order is refused (503) yet stored, the uncertain commit of docs/deployment.md "Faults". Each try
  // carries its own idempotency key, and every refused one is retried with its key after the restart, as
  // a client does: then each key is one stored order, acknowledged or settled, none lost and none twice.
  it('orders placed while the database restarts: every acknowledged one is stored once, every refused one settles once on retry', async () => {
    const before = await storedOrderIds();
    const answered = new Map<string, string>();
    const refused: { key: string; status: number }[] = [];
    let stop = false;
    const traffic = (async () => {
      for (let count = 0; count < 200 && !stop; count += 1) {
        const key = randomUUID();
        const answer = await order(key);
        if (answer.id) answered.set(key, answer.id);
        else refused.push({ key, status: answer.status });
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    postgres!.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    postgres!.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stop = true;
    await traffic;
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((entry) => entry.status))).toEqual(new Set([503]));
    const acknowledged = [...answered.values()];
    const storedAfterRestart = new Set(await storedOrderIds());
    // Every acknowledged order is stored; a refused one is stored only if its commit was the uncertain one.
    for (const id of acknowledged) expect(storedAfterRestart.has(id)).toBe(true);
    for (const { key } of refused) {
      const settled = await order(key);
      expect(settled.code).toBeUndefined();
      answered.set(key, settled.id!);
    }
    const stored = await storedOrderIds();
    expect(stored).toEqual([...before, ...answered.values()].sort());
    expect(new Set(stored).size).toBe(stored.length);
    expect(answered.size).toBe(acknowledged.length + refused.length);
    console.info(
      `database restart: ${acknowledged.length} orders acknowledged, ${refused.length} refused with 503, of which ${refused.filter(({ key }) => storedAfterRestart.has(answered.get(key)!)).length} had committed`,
    );
  });

  it('a frozen database answers 503 within the statement timeout, /readyz 503 within a second, and no refused order commits after the thaw', async () => {
    const before = await storedOrderIds();
    postgres!.freeze();
    let thawed = false;
    try {
      const readyStarted = performance.now();
      const ready = await fetch(server.url.replace('/graphql', '/readyz'));
      const readyMs = performance.now() - readyStarted;
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, database: false });
      expect(readyMs).toBeLessThan(1000);
      const answers = await Promise.all([order(), order(), order()]);
      expect(answers.map((answer) => answer.code)).toEqual(Array(3).fill('SERVICE_UNAVAILABLE'));
      expect(answers.map((answer) => answer.status)).toEqual(Array(3).fill(503));
      for (const answer of answers) expect(answer.elapsedMs).toBeLessThan(STATEMENT_TIMEOUT_MS + 750);
      postgres!.thaw();
      thawed = true;
      // What the frozen server had read before the freeze is processed now; none of it may commit an order.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await storedOrderIds()).toEqual(before);
      const acknowledged = [...before];
      await untilAcknowledged(acknowledged);
      expect(await storedOrderIds()).toEqual(acknowledged.sort());
      expect((await fetch(server.url.replace('/graphql', '/readyz'))).status).toBe(200);
    } finally {
      if (!thawed) postgres!.thaw();
    }
  });
});
