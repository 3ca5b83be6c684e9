// Credential attacks of SPEC §2 that the identity tests do not already make: parallel bursts that try to
// outrun the lockout, guessing through changePassword, aliased batches, OTP guesses in every phone format,
// replayed refresh and reset tokens, and the timing of unknown versus known accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { CHANGE_PASSWORD, fromNewIp, LOGIN, ME_IDENTITY, REFRESH, REGISTER, REQUEST_OTP, REQUEST_RESET, RESET, VERIFY_OTP } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeOf } from './http.helpers.js';

let server: TestServer;
beforeAll(async () => {
  // Production's minimum cost, so that a bcrypt comparison dominates the timing test as it would in production.
  server = await startTestServer({ TRUST_PROXY: 'true', BCRYPT_COST: '10' });
});
afterAll(async () => server?.close());

async function register(options: { phone?: string } = {}) {
  const email = uniqueEmail('victim');
  const response = await server.gql(REGISTER, { input: { name: 'Victim', password: STRONG_PASSWORD, email, phone: options.phone } }, fromNewIp());
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return { email, ...response.data.register };
}

describe('the lockout under a parallel burst', () => {
  it('evaluates at most 10 of 40 simultaneous wrong passwords from 40 addresses, then refuses the right one', async () => {
    const victim = await register();
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, index) => server.gql(LOGIN, { identifier: victim.email, password: `guess number ${index} of many` }, fromNewIp())),
    );
    const answers = burst.map(codeOf);
    expect(answers.filter((code) => code === 'INVALID_CREDENTIALS').length).toBeLessThanOrEqual(10);
    expect(answers.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(30);
    expect(new Set(answers)).toEqual(new Set(['INVALID_CREDENTIALS', 'RATE_LIMITED']));
    expect(codeOf(await server.gql(LOGIN, { identifier: victim.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('RATE_LIMITED');
  });

  it('does not let a stolen session guess the password through changePassword', async () => {
    const victim = await register();
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const response = await server.gql(
        CHANGE_PASSWORD,
        { currentPassword: `guess ${attempt} for the old one`, newPassword: 'attacker owns this now 1' },
        { token: victim.accessToken },
      );
      expect(codeOf(response)).toBe('INVALID_CREDENTIALS');
    }
    const locked = await server.gql(
      CHANGE_PASSWORD,
      { currentPassword: STRONG_PASSWORD, newPassword: 'attacker owns this now 1' },
      { token: victim.accessToken },
    );
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    // The same account counter guards login, and the password did not change. The email has no failures of
    // its own, so it answers INVALID_CREDENTIALS rather than RATE_LIMITED (docs/authentication.md).
    expect(codeOf(await server.gql(LOGIN, { identifier: victim.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
    server.clock.advance(15 * 60 * 1000 + 1000);
    expect(codeOf(await server.gql(LOGIN, { identifier: victim.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('OK');
  });
});

describe('aliased batches', () => {
  it('counts each aliased reset request against the address', async () => {
    const client = fromNewIp();
    const batch = `mutation($identifier: String!) { ${Array.from({ length: 15 }, (_, index) => `r${index}: requestPasswordReset(identifier: $identifier)`).join(' ')} }`;
    for (let round = 0; round < 2; round += 1) {
      const response = await server.gql(batch, { identifier: uniqueEmail('nobody') }, client);
      expect(response.errors).toBeUndefined();
    }
    const next = await server.gql(REQUEST_RESET, { identifier: uniqueEmail('nobody') }, client);
    expect(next.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    const otp = await server.gql(REQUEST_OTP, { phone: uniquePhone() }, client);
    expect(codeOf(otp)).toBe('RATE_LIMITED');
  });

  it('stops an aliased batch of OTP guesses at the first wrong one', async () => {
    const phone = uniquePhone();
    await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    const guesses = Array.from(
      { length: 15 },
      (_, index) => `g${index}: verifyOtp(phone: $phone, code: "${String(index).padStart(6, '0')}") { accessToken }`,
    ).join(' ');
    const response = await server.gql(`mutation($phone: String!) { ${guesses} }`, { phone }, fromNewIp());
    expect(response.data).toBeNull();
    const challenge = await server.database.prisma.otpChallenge.findFirstOrThrow({ where: { phone } });
    expect(challenge.attempts).toBeLessThanOrEqual(1);
  });
});

describe('OTP guessing', () => {
  it('shares the 5 tries among every written form of the phone, even 50 at once', async () => {
    const phone = uniquePhone();
    const digits = phone.slice(3);
    await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    const message = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' } });
    const code = (message.variables as { code: string }).code;
    const forms = [phone, `0${digits}`, `91${digits}`, digits, `${digits.slice(0, 5)} ${digits.slice(5)}`, `(+91) ${digits.slice(0, 5)}-${digits.slice(5)}`];
    const wrong = (index: number) => String((Number(code) + 1 + index) % 1_000_000).padStart(6, '0');
    const guesses = await Promise.all(
      Array.from({ length: 50 }, (_, index) => server.gql(VERIFY_OTP, { phone: forms[index % forms.length], code: wrong(index) }, fromNewIp())),
    );
    expect(guesses.every((guess) => codeOf(guess) === 'INVALID_CREDENTIALS')).toBe(true);
    expect((await server.database.prisma.otpChallenge.findFirstOrThrow({ where: { phone } })).attempts).toBe(5);
    expect(codeOf(await server.gql(VERIFY_OTP, { phone: `0${digits}`, code }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
  });
});

describe('replayed tokens', () => {
  it('refuses a refresh token after logout, after a password change and after a reset', async () => {
    const loggedOut = await register();
    await server.gql(
      `mutation($refreshToken: String!) { logout(refreshToken: $refreshToken) }`,
      { refreshToken: loggedOut.refreshToken },
      { token: loggedOut.accessToken },
    );
    expect(codeOf(await server.gql(REFRESH, { refreshToken: loggedOut.refreshToken }))).toBe('UNAUTHENTICATED');

    const changed = await register();
    const otherDevice = await server.gql(LOGIN, { identifier: changed.email, password: STRONG_PASSWORD }, fromNewIp());
    await server.gql(CHANGE_PASSWORD, { currentPassword: STRONG_PASSWORD, newPassword: 'a fresh passphrase here 9' }, { token: changed.accessToken });
    expect(codeOf(await server.gql(REFRESH, { refreshToken: otherDevice.data.login.refreshToken }))).toBe('UNAUTHENTICATED');

    const reset = await register();
    await server.gql(REQUEST_RESET, { identifier: reset.email }, fromNewIp());
    const mail = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: reset.email, template: 'PASSWORD_RESET' } });
    const token = (mail.variables as { token: string }).token;
    // A reset token is no access token and no refresh token.
    expect(codeOf(await server.gql(ME_IDENTITY, {}, { token }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql(REFRESH, { refreshToken: token }))).toBe('UNAUTHENTICATED');
    expect((await server.gql(RESET, { token, newPassword: 'reset passphrase number 1' }, fromNewIp())).data.resetPassword).toBe(true);
    expect(codeOf(await server.gql(REFRESH, { refreshToken: reset.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('lets exactly one of five simultaneous uses of a reset token win', async () => {
    const victim = await register();
    await server.gql(REQUEST_RESET, { identifier: victim.email }, fromNewIp());
    const mail = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: victim.email, template: 'PASSWORD_RESET' } });
    const token = (mail.variables as { token: string }).token;
    const passwords = Array.from({ length: 5 }, (_, index) => `racing new passphrase ${index}`);
    const answers = await Promise.all(passwords.map((newPassword) => server.gql(RESET, { token, newPassword }, fromNewIp())));
    const winners = answers.flatMap((answer, index) => (answer.data?.resetPassword === true ? [passwords[index]] : []));
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => codeOf(answer) === 'BAD_USER_INPUT')).toHaveLength(4);
    expect(codeOf(await server.gql(LOGIN, { identifier: victim.email, password: winners[0] }, fromNewIp()))).toBe('OK');
    for (const loser of passwords.filter((password) => password !== winners[0])) {
      expect(codeOf(await server.gql(LOGIN, { identifier: victim.email, password: loser }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
    }
  });
});

describe('timing', () => {
  it('answers an unknown account about as fast as a wrong password for a known one', async () => {
    // Fewer than 10 tries per identifier, so no lock (which answers fast for both) gets in the way.
    const known = await Promise.all([register(), register()]);
    const timed = async (identifier: string) => {
      const started = performance.now();
      const response = await server.gql(LOGIN, { identifier, password: 'a wrong but long password' }, fromNewIp());
      const elapsed = performance.now() - started;
      expect(codeOf(response)).toBe('INVALID_CREDENTIALS');
      return elapsed;
    };
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let round = 0; round < 6; round += 1) {
      for (const account of known) {
        knownTimes.push(await timed(account.email));
        unknownTimes.push(await timed(uniqueEmail('ghost')));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const ratio = median(unknownTimes) / median(knownTimes);
    // Both compare a bcrypt hash; a missing dummy comparison would make unknown accounts many times faster.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
