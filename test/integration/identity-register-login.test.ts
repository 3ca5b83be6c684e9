import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, ME_IDENTITY, REGISTER } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
});
afterAll(async () => server?.close());

const local = (phone: string) => phone.slice(3);

describe('register', () => {
  it('creates the user and its customer facet together, starts activation and queues the welcome', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    const response = await server.gql(REGISTER, { input: { name: 'Asha Rao', password: STRONG_PASSWORD, email, phone } }, fromNewIp());
    expect(response.errors).toBeUndefined();
    const payload = response.data.register;
    expect(payload.user).toMatchObject({ name: 'Asha Rao', roles: ['CUSTOMER'] });
    expect(payload.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const user = await server.database.prisma.user.findUniqueOrThrow({ where: { id: payload.user.id }, include: { customer: true } });
    expect(user.email).toBe(email);
    expect(user.passwordScheme).toBe('BCRYPT_SHA256');
    expect(user.customer).toMatchObject({ phone, activationStatus: 'NEW' });
    const events = await server.database.prisma.activationEvent.findMany({ where: { customerId: user.customer!.id } });
    expect(events.map((event) => event.toStatus)).toEqual(['NEW']);
    const messages = await server.database.prisma.outboxMessage.findMany({ where: { customerId: user.customer!.id } });
    expect(messages.map((message) => message.template)).toEqual(['WELCOME']);
    const me = await server.gql(ME_IDENTITY, {}, { token: payload.accessToken });
    expect(me.data.me).toMatchObject({ id: user.id, email, phone, status: 'ACTIVE' });
  });

  it('refuses a phone or email already registered, in any accepted format or case', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    await server.gql(REGISTER, { input: { name: 'First', password: STRONG_PASSWORD, email, phone } }, fromNewIp());
    const samePhone = await server.gql(
      REGISTER,
      { input: { name: 'Second', password: STRONG_PASSWORD, phone: `0${local(phone).slice(0, 5)} ${local(phone).slice(5)}` } },
      fromNewIp(),
    );
    expect(samePhone.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(samePhone.errors?.[0].message).toContain('sign in with OTP');
    const sameEmail = await server.gql(REGISTER, { input: { name: 'Third', password: STRONG_PASSWORD, email: `  ${email.toUpperCase()} ` } }, fromNewIp());
    expect(sameEmail.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(await server.database.prisma.user.count({ where: { OR: [{ email }, { phone }] } })).toBe(1);
  });

  it('names the field of bad input', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'A', password: STRONG_PASSWORD, phone: '12345' }, 'input.phone'],
      [{ name: 'A', password: STRONG_PASSWORD, email: 'not-an-email' }, 'input.email'],
      [{ name: 'A', password: 'short', email: uniqueEmail() }, 'input.password'],
      [{ name: 'A', password: 'x'.repeat(129), email: uniqueEmail() }, 'input.password'],
      [{ name: 'A', password: 'password1234', email: uniqueEmail() }, 'input.password'],
      [{ name: 'A', password: STRONG_PASSWORD }, 'input'],
      [{ name: '   ', password: STRONG_PASSWORD, email: uniqueEmail() }, 'input.name'],
    ];
    for (const [input, field] of cases) {
      const response = await server.gql(REGISTER, { input }, fromNewIp());
      expect(response.errors?.[0].extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const phone = uniquePhone();
    const withPhoneDigits = await server.gql(REGISTER, { input: { name: 'A', password: `my number ${local(phone)} ok`, phone } }, fromNewIp());
    expect(withPhoneDigits.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.password' });
  });

  it('refuses extra input fields such as roles (no mass assignment)', async () => {
    const response = await server.gql(REGISTER, { input: { name: 'Mallory', password: STRONG_PASSWORD, email: uniqueEmail(), roles: ['ADMIN'] } }, fromNewIp());
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.data).toBeUndefined();
  });
});

describe('login', () => {
  it('accepts the email in any case and the phone in any accepted format', async () => {
    const email = uniqueEmail();
    const phone = uniquePhone();
    await server.gql(REGISTER, { input: { name: 'Ravi', password: STRONG_PASSWORD, email, phone } }, fromNewIp());
    const digits = local(phone);
    for (const identifier of [email.toUpperCase(), phone, `91${digits}`, `0${digits}`, `${digits.slice(0, 5)}-${digits.slice(5)}`, `(+91) ${digits}`]) {
      const response = await server.gql(LOGIN, { identifier, password: STRONG_PASSWORD }, fromNewIp());
      expect(response.errors, identifier).toBeUndefined();
      expect(response.data.login.user.name).toBe('Ravi');
    }
  });

  it('answers an unknown identifier exactly like a wrong password', async () => {
    const email = uniqueEmail();
    await server.gql(REGISTER, { input: { name: 'Meena', password: STRONG_PASSWORD, email } }, fromNewIp());
    const wrong = await server.gql(LOGIN, { identifier: email, password: 'wrong password, long enough' }, fromNewIp());
    const unknown = await server.gql(LOGIN, { identifier: uniqueEmail('nobody'), password: 'wrong password, long enough' }, fromNewIp());
    const malformed = await server.gql(LOGIN, { identifier: 'not an identifier', password: 'wrong password, long enough' }, fromNewIp());
    for (const response of [wrong, unknown, malformed]) {
      expect(response.errors?.[0]).toMatchObject({ message: 'invalid credentials', extensions: { code: 'INVALID_CREDENTIALS' } });
    }
  });

  it('uses the whole of a 100-character passphrase', async () => {
    const email = uniqueEmail();
    const passphrase = 'the quick brown fox jumps over the lazy dog while the milkman rings twice at dawn with fresh curd ok'.slice(0, 100);
    expect(passphrase).toHaveLength(100);
    await server.gql(REGISTER, { input: { name: 'Long', password: passphrase, email } }, fromNewIp());
    expect((await server.gql(LOGIN, { identifier: email, password: passphrase }, fromNewIp())).errors).toBeUndefined();
    const changed80th = `${passphrase.slice(0, 79)}${passphrase[79] === 'x' ? 'y' : 'x'}${passphrase.slice(80)}`;
    const response = await server.gql(LOGIN, { identifier: email, password: changed80th }, fromNewIp());
    expect(response.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
  });

  it('verifies legacy bcrypt and SHA-256 hashes and re-hashes them on login', async () => {
    const password = 'legacy password from 2019';
    const legacy = [
      { scheme: 'BCRYPT' as const, hash: bcrypt.hashSync(password, 4) },
      { scheme: 'SHA256' as const, hash: createHash('sha256').update(password).digest('hex') },
    ];
    for (const { scheme, hash } of legacy) {
      const email = uniqueEmail('legacy');
      const user = await server.database.prisma.user.create({ data: { name: 'Old', email, roles: ['CUSTOMER'], passwordHash: hash, passwordScheme: scheme } });
      const wrong = await server.gql(LOGIN, { identifier: email, password: 'not the legacy password' }, fromNewIp());
      expect(wrong.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
      const response = await server.gql(LOGIN, { identifier: email, password }, fromNewIp());
      expect(response.errors, scheme).toBeUndefined();
      const stored = await server.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(stored.passwordScheme).toBe('BCRYPT_SHA256');
      expect(stored.passwordHash).not.toBe(hash);
      expect((await server.gql(LOGIN, { identifier: email, password }, fromNewIp())).errors).toBeUndefined();
    }
  });

  it('counts each aliased login in one request as an attempt', async () => {
    const email = uniqueEmail();
    await server.gql(REGISTER, { input: { name: 'Alias', password: STRONG_PASSWORD, email } }, fromNewIp());
    const client = fromNewIp();
    const batch = (count: number) =>
      `mutation($identifier: String!, $password: String!) { ${Array.from({ length: count }, (_, index) => `a${index}: login(identifier: $identifier, password: $password) { accessToken }`).join(' ')} }`;
    // Two batches of 15 aliases use up the 30 attempts this address has in ten minutes.
    for (let round = 0; round < 2; round += 1) {
      const response = await server.gql(batch(15), { identifier: email, password: STRONG_PASSWORD }, client);
      expect(response.errors).toBeUndefined();
      expect(Object.keys(response.data)).toHaveLength(15);
    }
    const next = await server.gql(LOGIN, { identifier: email, password: STRONG_PASSWORD }, client);
    expect(next.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(next.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // A batch of wrong guesses stops at the first failure (login is non-null), so it cannot outrun the count.
    const guesses = await server.gql(batch(5), { identifier: email, password: 'a wrong guess, long enough' }, fromNewIp());
    expect(guesses.data).toBeNull();
    expect(guesses.errors).toHaveLength(1);
  });
});
