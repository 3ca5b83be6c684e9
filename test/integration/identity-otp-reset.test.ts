import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, ME_IDENTITY, REGISTER, REQUEST_OTP, REQUEST_RESET, RESET, VERIFY_OTP } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
});
afterAll(async () => server?.close());

const code = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code ?? 'OK';

/** OTP codes leave only through the message outbox: tests read them there, as the SMS gateway would. */
async function latestOtp(phone: string): Promise<string> {
  const message = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' }, orderBy: { createdAt: 'desc' } });
  return (message.variables as { code: string }).code;
}

describe('OTP sign-in', () => {
  it('signs up a new phone as a customer, with the code only in the outbox', async () => {
    const phone = uniquePhone();
    const challenge = await server.gql(REQUEST_OTP, { phone: `0${phone.slice(3)}` }, fromNewIp());
    expect(challenge.errors).toBeUndefined();
    expect(JSON.stringify(challenge)).not.toMatch(/\b\d{6}\b(?!-)/);
    const now = server.clock.now().getTime();
    expect(new Date(challenge.data.requestOtp.expiresAt).getTime() - now).toBe(5 * 60 * 1000);
    expect(new Date(challenge.data.requestOtp.resendAfter).getTime() - now).toBe(60 * 1000);
    const otp = await latestOtp(phone);
    expect(otp).toMatch(/^\d{6}$/);
    const stored = await server.database.prisma.otpChallenge.findFirstOrThrow({ where: { phone } });
    expect(stored.codeHmac).not.toContain(otp);
    const session = await server.gql(VERIFY_OTP, { phone, code: otp }, fromNewIp());
    expect(session.data.verifyOtp.user.roles).toEqual(['CUSTOMER']);
    const user = await server.database.prisma.user.findUniqueOrThrow({ where: { phone }, include: { customer: true } });
    expect(user.customer?.activationStatus).toBe('NEW');
    expect(await server.database.prisma.outboxMessage.count({ where: { customerId: user.customer!.id, template: 'WELCOME' } })).toBe(1);
    // Single use.
    expect(code(await server.gql(VERIFY_OTP, { phone, code: otp }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
  });

  it('claims a customer created without a login, keeping its data', async () => {
    const phone = uniquePhone();
    const user = await server.database.prisma.user.create({
      data: {
        name: 'Imported Lakshmi',
        phone,
        roles: ['CUSTOMER'],
        legacyIds: ['CUST_9'],
        customer: { create: { name: 'Imported Lakshmi', phone, address: '12 Temple Street', area: 'Mylapore', activationStatus: 'ACTIVE' } },
      },
      include: { customer: true },
    });
    await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    const session = await server.gql(VERIFY_OTP, { phone, code: await latestOtp(phone) }, fromNewIp());
    expect(session.data.verifyOtp.user).toMatchObject({ id: user.id, name: 'Imported Lakshmi' });
    const after = await server.database.prisma.customer.findUniqueOrThrow({ where: { id: user.customer!.id } });
    expect(after).toMatchObject({ address: '12 Temple Street', area: 'Mylapore', activationStatus: 'ACTIVE', userId: user.id });
    expect(await server.database.prisma.user.count({ where: { phone } })).toBe(1);
  });

  it('evaluates at most 5 of 50 simultaneous wrong guesses, then the code is dead', async () => {
    const phone = uniquePhone();
    await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    const otp = await latestOtp(phone);
    const wrong = otp === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(Array.from({ length: 50 }, () => server.gql(VERIFY_OTP, { phone, code: wrong }, fromNewIp())));
    expect(guesses.every((guess) => code(guess) === 'INVALID_CREDENTIALS')).toBe(true);
    const challenge = await server.database.prisma.otpChallenge.findFirstOrThrow({ where: { phone } });
    expect(challenge.attempts).toBe(5);
    expect(code(await server.gql(VERIFY_OTP, { phone, code: otp }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
  });

  it('expires after 5 minutes and throttles resends', async () => {
    const phone = uniquePhone();
    await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    const first = await latestOtp(phone);
    const resend = await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    expect(code(resend)).toBe('RATE_LIMITED');
    expect(resend.errors?.[0].extensions?.retryAfterSeconds).toBe(60);
    server.clock.advance(5 * 60 * 1000 + 1);
    expect(code(await server.gql(VERIFY_OTP, { phone, code: first }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
    // At most 5 codes per phone per hour.
    for (let sent = 1; sent < 5; sent += 1) {
      expect(code(await server.gql(REQUEST_OTP, { phone }, fromNewIp()))).toBe('OK');
      server.clock.advance(61 * 1000);
    }
    const sixth = await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    expect(code(sixth)).toBe('RATE_LIMITED');
  });

  it('binds a code to its phone', async () => {
    const phone = uniquePhone();
    const other = uniquePhone();
    await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    await server.gql(REQUEST_OTP, { phone: other }, fromNewIp());
    expect(code(await server.gql(VERIFY_OTP, { phone: other, code: await latestOtp(phone) }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
  });

  it('answers a malformed phone with BAD_USER_INPUT', async () => {
    const response = await server.gql(REQUEST_OTP, { phone: '+1 415 555 0100' }, fromNewIp());
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
  });
});

describe('password reset', () => {
  it('answers the same for unknown identifiers and sends a single-use 30-minute token', async () => {
    expect((await server.gql(REQUEST_RESET, { identifier: uniqueEmail('nobody') }, fromNewIp())).data.requestPasswordReset).toBe(true);
    const email = uniqueEmail();
    const registered = await server.gql(REGISTER, { input: { name: 'Reset Me', password: STRONG_PASSWORD, email } }, fromNewIp());
    const session = registered.data.register;
    expect((await server.gql(REQUEST_RESET, { identifier: email.toUpperCase() }, fromNewIp())).data.requestPasswordReset).toBe(true);
    const message = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: email, template: 'PASSWORD_RESET' } });
    const token = (message.variables as { token: string }).token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(message.text).toContain(token);
    const reset = await server.gql(RESET, { token, newPassword: 'my new reset passphrase' }, fromNewIp());
    expect(reset.data.resetPassword).toBe(true);
    expect(code(await server.gql(ME_IDENTITY, {}, { token: session.accessToken }))).toBe('UNAUTHENTICATED');
    expect(code(await server.gql(LOGIN, { identifier: email, password: 'my new reset passphrase' }, fromNewIp()))).toBe('OK');
    const reused = await server.gql(RESET, { token, newPassword: 'another new passphrase' }, fromNewIp());
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });

  it('refuses a token after 30 minutes', async () => {
    const email = uniqueEmail();
    await server.gql(REGISTER, { input: { name: 'Slow Reader', password: STRONG_PASSWORD, email } }, fromNewIp());
    await server.gql(REQUEST_RESET, { identifier: email }, fromNewIp());
    const message = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: email, template: 'PASSWORD_RESET' } });
    server.clock.advance(30 * 60 * 1000 + 1);
    const late = await server.gql(RESET, { token: (message.variables as { token: string }).token, newPassword: 'too late passphrase' }, fromNewIp());
    expect(code(late)).toBe('BAD_USER_INPUT');
    expect(code(await server.gql(LOGIN, { identifier: email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('OK');
  });
});
