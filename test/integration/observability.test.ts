// /metrics (Prometheus text), its protection, and /readyz following the database and its migrations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { LOGIN } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

const METRICS_TOKEN = 'metrics-token-for-the-tests-0123';
let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
  base = server.url.replace('/graphql', '');
});
afterAll(async () => server?.close());

async function scrape(target = base, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${target}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series, e.g. `bff_graphql_requests_total{operation="Login",result="OK"}`. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function login(identifier: string, password: string, ip: string) {
  return server.gql(LOGIN, { identifier, password }, { headers: { 'x-forwarded-for': ip } });
}

describe('/metrics', () => {
  it('counts requests by operation name and result code, with durations', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    await server.gql('query WhoAmI { me { id } }', {}, { token: admin.token });
    await server.gql('query WhoAmI { me { id } }');
    expect((await login(admin.email, 'not the password at all', '10.9.0.1')).errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
    const text = await scrape();
    expect(valueOf(text, 'bff_graphql_requests_total{operation="WhoAmI",result="OK"}')).toBe(1);
    expect(valueOf(text, 'bff_graphql_requests_total{operation="WhoAmI",result="UNAUTHENTICATED"}')).toBe(1);
    expect(valueOf(text, 'bff_graphql_requests_total{operation="Login",result="INVALID_CREDENTIALS"}')).toBe(1);
    expect(valueOf(text, 'bff_graphql_request_duration_seconds_count{operation="WhoAmI",result="OK"}')).toBe(1);
    expect(valueOf(text, 'bff_graphql_request_duration_seconds_sum{operation="WhoAmI",result="OK"}')).toBeGreaterThan(0);
    // The embedded database has no pool; the pool gauge appears on PostgreSQL only.
    if (server.database.kind === 'postgres') {
      expect(valueOf(text, 'bff_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
      expect(valueOf(text, 'bff_db_pool_connections{state="max"}')).toBe(5);
    } else {
      expect(text).not.toContain('bff_db_pool_connections');
    }
  });

  it('reads the outbox backlog and failures from the database at scrape time', async () => {
    const before = await scrape();
    const pendingBefore = valueOf(before, 'bff_outbox_messages{status="PENDING"}') ?? 0;
    const failedBefore = valueOf(before, 'bff_outbox_messages{status="FAILED"}') ?? 0;
    const createdAt = new Date(server.clock.now().getTime() - 120_000);
    const message = { to: '+919800000001', channel: 'SMS' as const, template: 'WELCOME' as const, text: 'hello', createdAt };
    await server.database.prisma.outboxMessage.createMany({
      data: [
        { ...message, dedupeKey: `metrics-test-pending-1-${Date.now()}` },
        { ...message, dedupeKey: `metrics-test-pending-2-${Date.now()}` },
        { ...message, dedupeKey: `metrics-test-failed-${Date.now()}`, status: 'FAILED', attempts: 8 },
      ],
    });
    const after = await scrape();
    expect(valueOf(after, 'bff_outbox_messages{status="PENDING"}')).toBe(pendingBefore + 2);
    expect(valueOf(after, 'bff_outbox_messages{status="FAILED"}')).toBe(failedBefore + 1);
    expect(valueOf(after, 'bff_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(120);
    expect(valueOf(after, 'bff_database_up')).toBe(1);
  });

  it('counts lockouts and rate-limit hits', async () => {
    const email = uniqueEmail('locked');
    await createSignedInUser(server, ['CUSTOMER'], { email });
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await login(email, `wrong password number ${attempt}`, `10.9.1.${attempt}`)).errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
    }
    const locked = await login(email, STRONG_PASSWORD, '10.9.1.200');
    expect(locked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    // One client address past the throttle's 30 attempts per window.
    let throttled = 0;
    for (let attempt = 0; attempt < 31; attempt += 1) {
      const answer = await login(uniqueEmail('nobody'), 'whatever password here', '10.9.2.1');
      if (answer.errors?.[0].extensions?.code === 'RATE_LIMITED') throttled += 1;
    }
    expect(throttled).toBe(1);
    const text = await scrape();
    expect(valueOf(text, 'bff_login_lockout_refusals_total')).toBe(1);
    expect(valueOf(text, 'bff_login_throttled_total')).toBe(1);
    expect(valueOf(text, 'bff_rate_limited_total{field="login"}')).toBe(2);
    expect(valueOf(text, 'bff_login_locks_active')).toBe(1);
  });
});

describe('protecting /metrics', () => {
  it('asks for the METRICS_TOKEN bearer token when one is configured', async () => {
    const guarded = await startTestServer({ METRICS_TOKEN });
    try {
      const guardedBase = guarded.url.replace('/graphql', '');
      expect((await fetch(`${guardedBase}/metrics`)).status).toBe(401);
      expect((await fetch(`${guardedBase}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token-0000' } })).status).toBe(401);
      expect(await scrape(guardedBase, { authorization: `Bearer ${METRICS_TOKEN}` })).toContain('bff_graphql_requests_total');
    } finally {
      await guarded.close();
    }
  });

  it('is absent in production without a token, and /readyz reports a database that is down', async () => {
    const production = await startTestServer({ NODE_ENV: 'production', BCRYPT_COST: '10' });
    const productionBase = production.url.replace('/graphql', '');
    try {
      expect((await fetch(`${productionBase}/metrics`)).status).toBe(404);
      // The IDE is off in production unless GRAPHQL_IDE=true: a browser gets no page and no bundle.
      const page = await fetch(production.url, { headers: { accept: 'text/html' } });
      expect(page.headers.get('content-type')).not.toMatch(/text\/html/);
      expect((await fetch(`${productionBase}/graphql/ide/ide.js`)).status).not.toBe(200);
      expect((await fetch(`${productionBase}/readyz`)).status).toBe(200);
      await production.database.close();
      const down = await fetch(`${productionBase}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ ready: false, database: false, pendingMigrations: -1 });
    } finally {
      await production.server.close();
      await production.app.close();
    }
  });
});

describe('the IDE outside production', () => {
  it('serves the page to browsers and GraphQL to everyone else', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/graphql/ide/ide.js"></script>');
    expect(html).toContain('query ActivationDashboard(');
    const bundle = await fetch(`${base}/graphql/ide/ide.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/graphql/ide/ide.js`, { headers: { 'if-none-match': bundle.headers.get('etag')! } })).status).toBe(304);
    const query = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('/readyz', () => {
  it('is false while a migration is pending', async () => {
    const prisma = server.database.prisma;
    const [applied] = await prisma.$queryRaw<{ id: string; migration_name: string }[]>`
      SELECT "id", "migration_name" FROM "_prisma_migrations" ORDER BY "started_at" DESC LIMIT 1`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    // Marking the newest migration rolled back is what a half-deployed release looks like to the server.
    await prisma.$executeRaw`UPDATE "_prisma_migrations" SET "rolled_back_at" = now() WHERE "id" = ${applied.id}`;
    try {
      const pending = await fetch(`${base}/readyz`);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toEqual({ ready: false, database: true, pendingMigrations: 1 });
    } finally {
      await prisma.$executeRaw`UPDATE "_prisma_migrations" SET "rolled_back_at" = NULL WHERE "id" = ${applied.id}`;
    }
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ready: true, database: true, pendingMigrations: 0 });
  });
});
