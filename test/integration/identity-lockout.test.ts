// Lockout and throttling (SPEC §2), on both counter stores: PostgreSQL, and Redis as several instances use.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, REGISTER, REQUEST_OTP, REQUEST_RESET, VERIFY_OTP } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

const stores = [
  ['PostgreSQL', {}],
  ['Redis', { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:` }],
] as const;

describe.each(stores)('lockout and throttling with counters in %s', (_store, overrides) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: 'true', ...overrides });
  });
  afterAll(async () => server?.close());

  const code = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code ?? 'OK';

  async function registerWithPhone() {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const response = await server.gql(REGISTER, { input: { name: 'Lock Test', password: STRONG_PASSWORD, email, phone } }, fromNewIp());
    return { email, phone, userId: response.data.register.user.id as string };
  }

  it('locks after 10 failures counted across email and phone variants, for 15 minutes', async () => {
    const account = await registerWithPhone();
    const digits = account.phone.slice(3);
    const variants = [account.email, account.email.toUpperCase(), account.phone, `0${digits}`, `91${digits}`];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await server.gql(LOGIN, { identifier: variants[attempt % variants.length], password: `wrong guess number ${attempt}` }, fromNewIp());
      expect(code(response)).toBe('INVALID_CREDENTIALS');
    }
    // The account is locked, so the right password fails; each identifier answers by its own count (the
    // email has 4 failures, the phone 6), so that the answer says nothing of the other identifier.
    const locked = await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp());
    expect(code(locked)).toBe('INVALID_CREDENTIALS');
    // Failures while locked neither count nor extend the lock.
    server.clock.advance(5 * 60 * 1000);
    await server.gql(LOGIN, { identifier: account.phone, password: 'another wrong guess' }, fromNewIp());
    server.clock.advance(10 * 60 * 1000 + 1000);
    expect(code(await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('OK');
  });

  it('doubles the lock on each further lock and a success resets the count', async () => {
    const account = await registerWithPhone();
    const fail = () => server.gql(LOGIN, { identifier: account.email, password: 'definitely wrong pw' }, fromNewIp());
    for (let attempt = 0; attempt < 9; attempt += 1) await fail();
    expect(code(await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('OK');
    for (let attempt = 0; attempt < 9; attempt += 1) await fail();
    expect(code(await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('OK');
    for (let attempt = 0; attempt < 10; attempt += 1) await fail();
    expect((await fail()).errors?.[0].extensions?.retryAfterSeconds).toBe(900);
    server.clock.advance(15 * 60 * 1000 + 1000);
    for (let attempt = 0; attempt < 10; attempt += 1) await fail();
    expect((await fail()).errors?.[0].extensions?.retryAfterSeconds).toBe(1800);
  });

  it('reports LOCKED, lets an admin unlock, and keeps OTP and reset working while locked', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const account = await registerWithPhone();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await server.gql(LOGIN, { identifier: account.email, password: 'wrong again, sorry' }, fromNewIp());
    }
    const lookup = `query($identifier: String!) { lookupUser(identifier: $identifier) { id status } }`;
    expect((await server.gql(lookup, { identifier: account.phone }, { token: admin.token })).data.lookupUser.status).toBe('LOCKED');
    expect(code(await server.gql(REQUEST_RESET, { identifier: account.email }, fromNewIp()))).toBe('OK');
    expect(code(await server.gql(REQUEST_OTP, { phone: account.phone }, fromNewIp()))).toBe('OK');
    const otp = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: account.phone, template: 'OTP' } });
    const signedIn = await server.gql(VERIFY_OTP, { phone: account.phone, code: (otp.variables as { code: string }).code }, fromNewIp());
    expect(signedIn.data.verifyOtp.user.id).toBe(account.userId);
    const unlock = `mutation($userId: ID!) { unlockUser(userId: $userId) { id status } }`;
    expect((await server.gql(unlock, { userId: account.userId }, { token: admin.token })).data.unlockUser.status).toBe('ACTIVE');
    expect(code(await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('OK');
  });

  it('locks an identifier that has no account just the same, revealing nothing', async () => {
    const identifier = uniqueEmail('ghost');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect(code(await server.gql(LOGIN, { identifier, password: 'whatever you like' }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
    }
    expect(code(await server.gql(LOGIN, { identifier: identifier.toUpperCase(), password: 'whatever you like' }, fromNewIp()))).toBe('RATE_LIMITED');
  });

  it('allows 30 login, OTP and reset attempts per address in 10 minutes', async () => {
    const client = fromNewIp();
    const account = await registerWithPhone();
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const operation = attempt % 3;
      const response =
        operation === 0
          ? await server.gql(LOGIN, { identifier: uniqueEmail('x'), password: 'throttle test pw' }, client)
          : operation === 1
            ? await server.gql(REQUEST_RESET, { identifier: uniqueEmail('y') }, client)
            : await server.gql(VERIFY_OTP, { phone: uniquePhone(), code: '000000' }, client);
      expect(code(response)).not.toBe('RATE_LIMITED');
    }
    const throttled = await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, client);
    expect(code(throttled)).toBe('RATE_LIMITED');
    expect(throttled.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(throttled.errors?.[0].extensions?.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(code(await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('OK');
    server.clock.advance(10 * 60 * 1000 + 1000);
    expect(code(await server.gql(LOGIN, { identifier: account.email, password: STRONG_PASSWORD }, client))).toBe('OK');
  });
});
