// Credentials hygiene, each case an attack made over HTTP against the real server: reset tokens that outlive
// a reset, unbounded reset mail, a reset answer whose timing names registered accounts, weak passwords that
// pass, a correctly signed token with a non-uuid subject, a weak production secret and a world-readable
// message log.
import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/seed/demo-logins.js';
import { STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { CHANGE_PASSWORD, fromNewIp, LOGIN, ME_IDENTITY, REGISTER, REQUEST_RESET, RESET } from '../support/operations.js';
import { createServerDatabase, testDatabaseTarget } from '../support/database.js';
import { runScript, startServerProcess } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeOf, LogCapture, send } from './http.helpers.js';

let server: TestServer;
beforeAll(async () => {
  // At error: a reset message that could not be queued says why in the test's output.
  server = await startTestServer({ TRUST_PROXY: 'true', LOG_LEVEL: 'error' });
});
afterAll(async () => server?.close());

async function register(password = STRONG_PASSWORD) {
  const email = uniqueEmail('hygiene');
  const response = await server.gql(REGISTER, { input: { name: 'Hygiene', password, email } }, fromNewIp());
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return { email, ...response.data.register };
}

async function resetTokensOf(email: string): Promise<string[]> {
  const mails = await server.database.prisma.outboxMessage.findMany({ where: { to: email, template: 'PASSWORD_RESET' }, orderBy: { createdAt: 'asc' } });
  return mails.map((mail) => (mail.variables as { token: string }).token);
}

describe('reset tokens', () => {
  it('ends every other reset token of the user when one of them is used', async () => {
    const victim = await register();
    for (let request = 0; request < 2; request += 1) {
      expect((await server.gql(REQUEST_RESET, { identifier: victim.email }, fromNewIp())).data.requestPasswordReset).toBe(true);
    }
    const [first, second] = await resetTokensOf(victim.email);
    expect((await server.gql(RESET, { token: first, newPassword: 'the first link won the day' }, fromNewIp())).data.resetPassword).toBe(true);
    const replay = await server.gql(RESET, { token: second, newPassword: 'the second link came later' }, fromNewIp());
    expect(replay.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    expect(codeOf(await server.gql(LOGIN, { identifier: victim.email, password: 'the first link won the day' }, fromNewIp()))).toBe('OK');
  });

  it('ends every reset token of the user when the password is changed', async () => {
    const victim = await register();
    await server.gql(REQUEST_RESET, { identifier: victim.email }, fromNewIp());
    const [token] = await resetTokensOf(victim.email);
    const changed = await server.gql(
      CHANGE_PASSWORD,
      { currentPassword: STRONG_PASSWORD, newPassword: 'changed while a link was out' },
      { token: victim.accessToken },
    );
    expect(changed.data.changePassword).toBe(true);
    const late = await server.gql(RESET, { token, newPassword: 'an old link tries its luck' }, fromNewIp());
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('queues at most 5 reset messages to one account an hour, and still answers true to the sixth', async () => {
    const victim = await register();
    for (let request = 0; request < 6; request += 1) {
      const answer = await server.gql(REQUEST_RESET, { identifier: victim.email }, fromNewIp());
      expect(answer.errors).toBeUndefined();
      expect(answer.data.requestPasswordReset).toBe(true);
    }
    expect(await resetTokensOf(victim.email)).toHaveLength(5);
    expect(await server.database.prisma.passwordResetToken.count({ where: { user: { email: victim.email } } })).toBe(5);
    // The hour slides: once the first of the five is an hour old, one more goes out.
    server.clock.advance(60 * 60 * 1000);
    await server.gql(REQUEST_RESET, { identifier: victim.email }, fromNewIp());
    expect(await resetTokensOf(victim.email)).toHaveLength(6);
  });
});

describe('reset timing', () => {
  it('answers requestPasswordReset for an unknown identifier as fast as for a known one (median of 40 pairs)', { timeout: 180_000 }, async () => {
    // A server process of its own, so that the work it does after answering is not done on the thread
    // that times the answers.
    const environment: Record<string, string> = {
      NODE_ENV: 'test',
      DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'bff-reset-timing-')),
      JWT_SECRET: 'reset-timing-secret-at-least-32-bytes-long',
      LOG_LEVEL: 'info',
      SWEEP_SCHEDULE: 'off',
      TRUST_PROXY: 'true',
    };
    const database = testDatabaseTarget() === 'postgres' ? await createServerDatabase('bff_reset_timing') : undefined;
    if (database) environment.DATABASE_URL = database.url;
    const running = await startServerProcess(environment);
    try {
      const gql = (query: string, variables: Record<string, unknown>, requestId?: string) =>
        send(running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...fromNewIp().headers, ...(requestId ? { 'x-request-id': requestId } : {}) },
          body: JSON.stringify({ query, variables }),
        });
      // Eight accounts take five requests each, so that the hourly cap never shortens the known path.
      const known: string[] = [];
      for (let account = 0; account < 8; account += 1) {
        const email = uniqueEmail('timed');
        expect((await gql(REGISTER, { input: { name: 'Timed', password: STRONG_PASSWORD, email } })).json.errors).toBeUndefined();
        known.push(email);
      }
      const clientTimes = { known: [] as number[], unknown: [] as number[] };
      const requestIds = { known: [] as string[], unknown: [] as string[] };
      const timed = async (kind: 'known' | 'unknown', identifier: string) => {
        const requestId = `reset-timing-${kind}-${requestIds[kind].length}`;
        const started = performance.now();
        const answer = await gql(REQUEST_RESET, { identifier }, requestId);
        clientTimes[kind].push(performance.now() - started);
        requestIds[kind].push(requestId);
        expect(answer.json.data.requestPasswordReset).toBe(true);
        // Room for the work queued after the answer, so that it does not slow the next request.
        await new Promise((resolve) => setTimeout(resolve, 100));
      };
      for (let pair = 0; pair < 40; pair += 1) {
        // Alternating which goes first, so that whatever one request leaves behind falls on both kinds alike.
        const measureKnown = () => timed('known', known[pair % known.length]);
        const measureUnknown = () => timed('unknown', uniqueEmail('ghost'));
        for (const measure of pair % 2 === 0 ? [measureKnown, measureUnknown] : [measureUnknown, measureKnown]) await measure();
      }
      // The server's own durations (its request log: arrival to the answer written), which the client's
      // times contain plus the noise of two processes sharing the machine's cores.
      const serverDurations = new Map<string, number>();
      for (const line of running.output().split('\n')) {
        if (!line.includes('"reset-timing-')) continue;
        const entry = JSON.parse(line) as { requestId: string; durationMs?: number; msg: string };
        if (entry.msg === 'request' && entry.durationMs !== undefined) serverDurations.set(entry.requestId, entry.durationMs);
      }
      const serverTimes = (kind: 'known' | 'unknown') => requestIds[kind].map((id) => serverDurations.get(id) ?? Number.NaN);
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const onServer = { known: median(serverTimes('known')), unknown: median(serverTimes('unknown')) };
      const client = { known: median(clientTimes.known), unknown: median(clientTimes.unknown) };
      const figures = `server: unknown ${onServer.unknown} ms, known ${onServer.known} ms; client: unknown ${client.unknown.toFixed(1)} ms, known ${client.known.toFixed(1)} ms`;
      expect(serverTimes('known').concat(serverTimes('unknown')).filter(Number.isNaN), figures).toEqual([]);
      // Writing the token and the message before answering made a known identifier's answer take about
      // twice as long on the server.
      const ratio = onServer.unknown / onServer.known;
      expect(ratio, figures).toBeGreaterThan(0.75);
      expect(ratio, figures).toBeLessThan(1 / 0.75);
    } finally {
      await running.stop();
      await database?.drop();
    }
  });
});

describe('weak passwords', () => {
  const advice = 'is too easy to guess: choose a longer passphrase of three or four unrelated words';

  it('refuses repeated characters, keyboard patterns and blanks of twelve characters on every way in', async () => {
    const account = await register();
    expect((await server.gql(REQUEST_RESET, { identifier: account.email }, fromNewIp())).data?.requestPasswordReset).toBe(true);
    const [token] = await resetTokensOf(account.email);
    // A reset message that could not be queued is logged at error (above) with the reason.
    expect(token, 'the reset message was queued').toEqual(expect.any(String));
    for (const weak of ['aaaaaaaaaaaa', '111111111111', 'qwertyqwerty', ' '.repeat(12)]) {
      const registered = await server.gql(REGISTER, { input: { name: 'Weak', password: weak, email: uniqueEmail('weak') } }, fromNewIp());
      expect(registered.errors?.[0].extensions, weak).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
      expect(registered.errors?.[0].message).toBe(`input.password: ${advice}`);
      const reset = await server.gql(RESET, { token, newPassword: weak }, fromNewIp());
      expect(reset.errors?.[0].message).toBe(`newPassword: ${advice}`);
      const changed = await server.gql(CHANGE_PASSWORD, { currentPassword: STRONG_PASSWORD, newPassword: weak }, { token: account.accessToken });
      expect(changed.errors?.[0].message).toBe(`newPassword: ${advice}`);
    }
    // The token was not spent by the refusals.
    expect((await server.gql(RESET, { token, newPassword: 'four unrelated words at last' }, fromNewIp())).data.resetPassword).toBe(true);
  });

  it('accepts the demo password and a strong passphrase in Devanagari', async () => {
    for (const strong of [DEMO_PASSWORD, 'सुबह का ताज़ा दूध 2026']) {
      expect(codeOf(await server.gql(REGISTER, { input: { name: 'Strong', password: strong, email: uniqueEmail('strong') } }, fromNewIp())), strong).toBe('OK');
    }
  });
});

describe('forged access tokens', () => {
  it('refuses a correctly signed token whose sub or sid is not a uuid as UNAUTHENTICATED', async () => {
    const account = await register();
    const [, payload] = account.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string; sid: string };
    const now = server.clock.now();
    const forged = [
      { userId: 'not-a-uuid', sessionId: claims.sid },
      { userId: claims.sub, sessionId: "' OR 1=1 --" },
      { userId: claims.sub.toUpperCase() + 'x', sessionId: claims.sid },
    ];
    for (const forgedClaims of forged) {
      const { token } = await server.app.tokens.sign(forgedClaims, now);
      const response = await server.gql(ME_IDENTITY, {}, { token });
      expect(response.errors?.[0].extensions?.code, JSON.stringify(forgedClaims)).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await server.gql(ME_IDENTITY, {}, { token: account.accessToken }))).toBe('OK');
  });
});

describe('weak secrets at start-up', () => {
  it('refuses to start in production with a low-entropy JWT_SECRET or METRICS_TOKEN, saying how to make one', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ JWT_SECRET: 'a'.repeat(32) }, /JWT_SECRET: has too few distinct characters \(at least 10\): make a random one with `openssl rand -base64 48`/],
      [
        { JWT_SECRET: 'abcdefghijabcdefghijabcdefghij12' },
        /JWT_SECRET: follows a pattern and is too easy to guess: make a random one with `openssl rand -base64 48`/,
      ],
      [{ JWT_SECRET: 'x1x2x3x4x5x6x7x8x9x0xAxBxCxDxExF' }, /JWT_SECRET: repeats one character too often: make a random one/],
      [
        { JWT_SECRET: 'production-secret-of-enough-variety-42', METRICS_TOKEN: 'metrics-token-16' },
        /METRICS_TOKEN: must be at least 32 bytes: make a random one/,
      ],
    ];
    // A database nobody answers at: the configuration must stop the start before it is ever reached.
    const unreachable = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' };
    const results = await Promise.all(cases.map(([environment]) => runScript('src/main.ts', [], { ...unreachable, ...environment })));
    results.forEach((result, index) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(cases[index][1]);
    });
  });
});

describe('the message log', () => {
  it('is created owner-only (0600), and one that others could read is tightened at start-up with a warning', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'message-log-'));
    const fresh = path.join(directory, 'fresh.jsonl');
    const freshServer = await startTestServer({ MESSAGE_LOG_FILE: fresh });
    try {
      await freshServer.gql(REQUEST_RESET, { identifier: (await registerOn(freshServer)).email }, fromNewIp());
      await freshServer.app.services.messageDispatcher.dispatchDue();
      expect(await readFile(fresh, 'utf8')).toContain('"template":"PASSWORD_RESET"');
      expect((await stat(fresh)).mode & 0o777).toBe(0o600);
    } finally {
      await freshServer.close();
    }

    const open = path.join(directory, 'open.jsonl');
    await writeFile(open, '');
    await chmod(open, 0o644);
    const log = new LogCapture();
    const tightened = await startTestServer({ MESSAGE_LOG_FILE: open, LOG_LEVEL: 'warn' }, undefined, { logDestination: log });
    try {
      expect((await stat(open)).mode & 0o777).toBe(0o600);
      expect(log.text()).toContain('MESSAGE_LOG_FILE was readable by other users: now 0600');
      expect(log.text()).toContain('"mode":"644"');
    } finally {
      await tightened.close();
    }
  });
});

async function registerOn(target: TestServer) {
  const email = uniqueEmail('logged');
  const response = await target.gql(REGISTER, { input: { name: 'Logged', password: STRONG_PASSWORD, email } }, fromNewIp());
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return { email };
}
