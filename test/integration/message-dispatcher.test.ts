import 'reflect-metadata';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LEASE_MS, MessageDispatcher, retryDelayMs } from '../../src/modules/messages/outbox.dispatcher.js';
import { OutboxDispatchRepository, WebhookChannel } from '../../src/modules/messages/index.js';
import { createCustomer, uniquePhone } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { WebhookGateway } from '../support/webhook-gateway.js';

describe('webhook channel', () => {
  const gateway = new WebhookGateway();
  let server: TestServer;

  beforeAll(async () => {
    const url = await gateway.start();
    server = await startTestServer({ MESSAGE_CHANNEL: 'webhook', MESSAGE_WEBHOOK_URL: url, MESSAGE_MAX_ATTEMPTS: '3' });
  });
  afterAll(async () => {
    await server?.close();
    await gateway.close();
  });

  const dispatcher = () => server.app.services.messageDispatcher;
  const prisma = () => server.database.prisma;

  it('retries failures and non-2xx answers with backoff, then marks SENT and sets welcomeMessageSent', async () => {
    const customer = await createCustomer(server);
    const welcome = await prisma().outboxMessage.findFirstOrThrow({ where: { customerId: customer.id, template: 'WELCOME' } });
    gateway.answers.push(500, 503);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, retried: 1 });
    let stored = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: welcome.id } });
    expect(stored).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'webhook answered HTTP 500', lockedUntil: null });
    expect(stored.nextAttemptAt.getTime()).toBe(server.clock.now().getTime() + retryDelayMs(1));

    // Not due yet: nothing is sent before the backoff has passed.
    expect((await dispatcher().dispatchDue()).claimed).toBe(0);
    server.clock.advance(retryDelayMs(1));
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, retried: 1 });
    stored = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: welcome.id } });
    expect(stored.nextAttemptAt.getTime()).toBe(server.clock.now().getTime() + retryDelayMs(2));
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));

    server.clock.advance(retryDelayMs(2));
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
    stored = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: welcome.id } });
    expect(stored).toMatchObject({ status: 'SENT', attempts: 3, sentAt: server.clock.now(), lastError: null });
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).welcomeMessageSent).toBe(true);

    const last = gateway.requests.at(-1)!;
    expect(gateway.requests.filter((request) => request.body.id === welcome.id)).toHaveLength(3);
    expect(last.headers['idempotency-key']).toBe(`welcome:${customer.id}`);
    expect(last.body).toEqual({
      id: welcome.id,
      dedupeKey: `welcome:${customer.id}`,
      to: customer.phone,
      channel: 'SMS',
      template: 'WELCOME',
      category: 'service',
      text: welcome.text,
      variables: { name: customer.name },
      createdAt: welcome.createdAt.toISOString(),
      dlt: { entityId: '1101000000000000001', header: 'DAIRYM', templateId: '1107000000000000001' },
    });
  });

  it('gives up as FAILED after MESSAGE_MAX_ATTEMPTS tries', async () => {
    const customer = await createCustomer(server);
    gateway.answers.push(500, 500, 500);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await dispatcher().dispatchDue();
      server.clock.advance(retryDelayMs(attempt));
    }
    const stored = await prisma().outboxMessage.findFirstOrThrow({ where: { customerId: customer.id, template: 'WELCOME' } });
    expect(stored).toMatchObject({ status: 'FAILED', attempts: 3, lastError: 'webhook answered HTTP 500' });
    server.clock.advance(24 * 60 * 60 * 1000);
    expect((await dispatcher().dispatchDue()).claimed).toBe(0);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).welcomeMessageSent).toBe(false);
  });

  it('sends again after a crash between send and mark, with the same idempotency key', async () => {
    const customer = await createCustomer(server);
    const repository = new OutboxDispatchRepository(prisma());
    const now = server.clock.now();
    // A dispatcher claims the message, the gateway receives it, and the process dies before marking it.
    const [claimed] = await repository.claimDue({ now, leaseUntil: new Date(now.getTime() + LEASE_MS), limit: 10, maxAttempts: 3 });
    expect(claimed.customerId).toBe(customer.id);
    const { toPayload } = await import('../../src/modules/messages/outbox.dispatcher.js');
    await fetch(server.app.config.MESSAGE_WEBHOOK_URL!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': claimed.dedupeKey },
      body: JSON.stringify(toPayload(claimed)),
    });

    // While the lease lasts, no other dispatcher touches it.
    expect((await dispatcher().dispatchDue()).claimed).toBe(0);
    server.clock.advance(LEASE_MS);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
    const copies = gateway.requests.filter((request) => request.body.id === claimed.id);
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((copy) => copy.body.dedupeKey))).toEqual(new Set([`welcome:${customer.id}`]));
    expect(gateway.deliveredKeys().filter((key) => key === `welcome:${customer.id}`)).toHaveLength(1);
    const stored = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: claimed.id } });
    expect(stored).toMatchObject({ status: 'SENT', attempts: 2 });
  });

  it('lets concurrent dispatchers send each message once', async () => {
    const customers = [];
    for (let index = 0; index < 8; index += 1) customers.push(await createCustomer(server));
    const before = gateway.requests.length;
    await Promise.all([dispatcher().dispatchDue(), dispatcher().dispatchDue(), dispatcher().dispatchDue()]);
    const sent = gateway.requests.slice(before).map((request) => request.body.dedupeKey as string);
    expect(sent.sort()).toEqual(customers.map((customer) => `welcome:${customer.id}`).sort());
  });

  it('scrubs OTP codes from the stored message once it is sent', async () => {
    const phone = uniquePhone();
    const requested = await server.gql(`mutation($phone: String!) { requestOtp(phone: $phone) { expiresAt } }`, { phone });
    expect(requested.errors).toBeUndefined();
    const queued = await prisma().outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' } });
    const code = (queued.variables as { code: string }).code;
    expect(code).toMatch(/^\d{6}$/);
    await dispatcher().dispatchDue();
    const delivered = gateway.requests.find((request) => request.body.id === queued.id)!;
    expect(delivered.body.variables).toEqual({ code });
    expect(delivered.body.text).toContain(code);
    const stored = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(stored.status).toBe('SENT');
    expect(stored.variables).toEqual({});
    expect(stored.text).not.toContain(code);
    expect(stored.text).toContain('[redacted]');
  });
});

/** A gateway that holds every request `holdMs` before answering 200, counting what it received. */
class SlowGateway {
  readonly byId = new Map<string, number>();
  readonly byKey = new Map<string, number>();
  private server: Server;

  constructor(holdMs: number) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        this.byId.set(body.id, (this.byId.get(body.id) ?? 0) + 1);
        this.byKey.set(body.dedupeKey, (this.byKey.get(body.dedupeKey) ?? 0) + 1);
        setTimeout(() => response.end('{}'), holdMs);
      });
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/messages`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('two dispatchers and a gateway that holds every request', () => {
  // Scaled down from 10 s timeouts and 60 s leases: 20 messages held 300 ms each would take 6 s one after
  // another, four times the 1.5 s lease, so a dispatcher sending its batch in turn lets the other re-claim.
  const HOLD_MS = 300;
  const gateway = new SlowGateway(HOLD_MS);
  let server: TestServer;

  beforeAll(async () => {
    const url = await gateway.start();
    server = await startTestServer({ MESSAGE_CHANNEL: 'webhook', MESSAGE_WEBHOOK_URL: url });
  });
  afterAll(async () => {
    await server?.close();
    await gateway.close();
  });

  it('every message reaches the gateway exactly once, by id and by dedupe key', { timeout: 60_000 }, async () => {
    const customers = [];
    for (let index = 0; index < 20; index += 1) customers.push(await createCustomer(server));
    // The test server's clock stands still; these dispatchers see it move with real time.
    const base = server.clock.now().getTime();
    const started = Date.now();
    const clock = { now: () => new Date(base + Date.now() - started) };
    const dispatchers = [1, 2].map(
      () =>
        new MessageDispatcher({
          repository: new OutboxDispatchRepository(server.database.prisma),
          sender: new WebhookChannel(server.app.config.MESSAGE_WEBHOOK_URL!, 1_000),
          clock,
          log: server.app.log,
          maxAttempts: 8,
          pollMs: 20,
          batchSize: 8,
          leaseMs: 1_500,
        }),
    );
    for (const dispatcher of dispatchers) dispatcher.start();
    try {
      await vi.waitFor(async () => expect(await server.database.prisma.outboxMessage.count({ where: { template: 'WELCOME', status: 'SENT' } })).toBe(20), {
        timeout: 30_000,
        interval: 50,
      });
      // Two more leases' worth of polling: a copy re-claimed late would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      for (const dispatcher of dispatchers) await dispatcher.stop();
    }
    const keys = customers.map((customer) => `welcome:${customer.id}`).sort();
    expect([...gateway.byKey.keys()].sort()).toEqual(keys);
    expect([...gateway.byKey.values()]).toEqual(keys.map(() => 1));
    expect(gateway.byId.size).toBe(20);
    expect([...gateway.byId.values()]).toEqual(keys.map(() => 1));
    const stored = await server.database.prisma.outboxMessage.findMany({ where: { template: 'WELCOME' } });
    expect(stored.map((message) => [message.status, message.attempts])).toEqual(keys.map(() => ['SENT', 1]));
  });

  it('a dispatcher whose lease ran out neither sends nor marks', async () => {
    const customer = await createCustomer(server);
    const repository = new OutboxDispatchRepository(server.database.prisma);
    const now = server.clock.now();
    const [stale] = await repository.claimDue({ now, leaseUntil: new Date(now.getTime() + 1_000), limit: 1, maxAttempts: 8 });
    // The lease runs out and another dispatcher claims the message again.
    const later = new Date(now.getTime() + 1_000);
    const [fresh] = await repository.claimDue({ now: later, leaseUntil: new Date(later.getTime() + LEASE_MS), limit: 1, maxAttempts: 8 });
    expect(fresh.id).toBe(stale.id);
    expect(await repository.markSent(stale, later, { channel: 'SMS', provider: 'generic', providerMessageId: null, fallbackAt: null })).toBe(false);
    expect(await repository.markFailedAttempt(stale, { channel: 'SMS', provider: 'generic', error: 'late' }, null, later)).toBe(false);
    expect(await repository.handBack(stale)).toBe(false);
    let stored = await server.database.prisma.outboxMessage.findUniqueOrThrow({ where: { id: stale.id } });
    expect(stored).toMatchObject({ status: 'PENDING', attempts: 2, lockedUntil: fresh.leaseUntil });
    expect((await server.database.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).welcomeMessageSent).toBe(false);

    // A dispatcher holding a claim whose lease would end before the channel's timeout gives it back unsent.
    const before = gateway.byId.get(stale.id) ?? 0;
    const late = new MessageDispatcher({
      repository,
      sender: new WebhookChannel(server.app.config.MESSAGE_WEBHOOK_URL!, 10_000),
      clock: { now: () => new Date(later.getTime() + LEASE_MS - 5_000) },
      log: server.app.log,
      maxAttempts: 8,
      pollMs: 20,
    });
    expect(await late.deliver(fresh)).toBe('handedBack');
    expect(gateway.byId.get(stale.id) ?? 0).toBe(before);
    stored = await server.database.prisma.outboxMessage.findUniqueOrThrow({ where: { id: stale.id } });
    expect(stored).toMatchObject({ status: 'PENDING', attempts: 1, lockedUntil: null });
  });
});

describe('log channel', () => {
  let server: TestServer;
  let logFile: string;

  beforeAll(async () => {
    logFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'messages-')), 'messages.jsonl');
    server = await startTestServer({ MESSAGE_CHANNEL: 'log', MESSAGE_LOG_FILE: logFile, MESSAGE_DISPATCH: 'on', MESSAGE_POLL_MS: '20' });
  });
  afterAll(async () => server?.close());

  it('the running dispatcher appends one JSON line per message to MESSAGE_LOG_FILE', async () => {
    const customer = await createCustomer(server);
    await vi.waitFor(
      async () => expect((await server.database.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).welcomeMessageSent).toBe(true),
      { timeout: 10_000, interval: 25 },
    );
    const lines = (await readFile(logFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const welcome = lines.filter((line) => line.dedupeKey === `welcome:${customer.id}`);
    expect(welcome).toHaveLength(1);
    expect(Object.keys(welcome[0]).sort()).toEqual(['category', 'channel', 'createdAt', 'dedupeKey', 'dlt', 'id', 'template', 'text', 'to', 'variables']);
    expect(welcome[0]).toMatchObject({ to: customer.phone, channel: 'SMS', template: 'WELCOME', variables: { name: customer.name } });
  });
});
