// SPEC §7, §10: the server's own log never holds a password, OTP code, access, refresh or reset token.
// The whole sign-in life of one user runs at the most verbose level, failures included, and the captured
// log is searched for every secret that crossed the wire.
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import {
  CHANGE_PASSWORD,
  fromNewIp,
  LOGIN,
  LOGOUT,
  ME_IDENTITY,
  REFRESH,
  REGISTER,
  REQUEST_OTP,
  REQUEST_RESET,
  RESET,
  VERIFY_OTP,
} from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { LogCapture, send } from './http.helpers.js';

let server: TestServer;
let messageFile: string;
const log = new LogCapture();

beforeAll(async () => {
  messageFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'bff-messages-')), 'messages.jsonl');
  server = await startTestServer({ LOG_LEVEL: 'trace', TRUST_PROXY: 'true', MESSAGE_LOG_FILE: messageFile }, new ManualClock('2026-06-15T06:30:00Z'), {
    logDestination: log,
  });
});
afterAll(async () => server?.close());

describe('the server log', () => {
  it('holds no password, OTP code or token after a full login, OTP, refresh, reset and change flow', async () => {
    const secrets: string[] = [];
    const keep = <T extends string>(secret: T): T => {
      secrets.push(secret);
      return secret;
    };
    const email = uniqueEmail('secret');
    const phone = uniquePhone();
    const password = keep('Pa55phrase that nobody may log');
    const registered = await server.gql(REGISTER, { input: { name: 'Secret Keeper', password, email, phone } }, fromNewIp());
    keep(registered.data.register.accessToken);
    keep(registered.data.register.refreshToken);

    const wrong = keep('a wrong password that must not leak');
    await server.gql(LOGIN, { identifier: email, password: wrong }, fromNewIp());
    const login = await server.gql(LOGIN, { identifier: email, password }, fromNewIp());
    keep(login.data.login.accessToken);
    const refreshed = await server.gql(REFRESH, { refreshToken: keep(login.data.login.refreshToken) });
    keep(refreshed.data.refreshSession.accessToken);
    keep(refreshed.data.refreshSession.refreshToken);
    // A replay, an unknown token and a malformed header go down the error paths.
    await server.gql(REFRESH, { refreshToken: login.data.login.refreshToken });
    await server.gql(REFRESH, { refreshToken: keep('an-unknown-refresh-token-value-000000000000') });
    await send(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keep('not.a.valid-jwt-secret-looking-value')}` },
      body: JSON.stringify({ query: ME_IDENTITY }),
    });

    await server.gql(REQUEST_OTP, { phone }, fromNewIp());
    const otp = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' } });
    const code = keep((otp.variables as { code: string }).code);
    const wrongCode = code === '000000' ? '111111' : '000000';
    await server.gql(VERIFY_OTP, { phone, code: wrongCode }, fromNewIp());
    const otpSession = await server.gql(VERIFY_OTP, { phone, code }, fromNewIp());
    keep(otpSession.data.verifyOtp.accessToken);
    keep(otpSession.data.verifyOtp.refreshToken);

    await server.gql(REQUEST_RESET, { identifier: email }, fromNewIp());
    const resetMail = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: email, template: 'PASSWORD_RESET' } });
    const resetToken = keep((resetMail.variables as { token: string }).token);
    const newPassword = keep('the reset passphrase stays secret');
    await server.gql(RESET, { token: resetToken, newPassword: keep('short') }, fromNewIp());
    await server.gql(RESET, { token: resetToken, newPassword }, fromNewIp());
    await server.gql(RESET, { token: resetToken, newPassword }, fromNewIp());
    const again = await server.gql(LOGIN, { identifier: phone, password: newPassword }, fromNewIp());
    const finalToken = keep(again.data.login.accessToken);
    const changed = keep('the changed passphrase is secret too');
    await server.gql(CHANGE_PASSWORD, { currentPassword: keep('not the current one at all'), newPassword: changed }, { token: finalToken });
    await server.gql(CHANGE_PASSWORD, { currentPassword: newPassword, newPassword: changed }, { token: finalToken });
    await server.gql(LOGOUT, { refreshToken: keep(again.data.login.refreshToken) }, { token: finalToken });
    // The same secrets in a GET query string and in a request the server refuses.
    const query = new URLSearchParams({ query: LOGIN, variables: JSON.stringify({ identifier: email, password }) });
    await send(`${server.url}?${query.toString()}`, { headers: { 'apollo-require-preflight': 'true' } });
    await send(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: LOGIN, variables: { identifier: email, password } }),
    });

    // The outbox reaches the gateway (here the message file), which is the one place a code may appear.
    await server.app.services.messageDispatcher.dispatchDue();
    const messages = await readFile(messageFile, 'utf8');
    expect(messages).toContain(code);
    expect(messages).toContain(resetToken);

    const captured = log.text();
    // One line per request at least: the capture saw the whole flow.
    expect(log.lines.length).toBeGreaterThanOrEqual(19);
    expect(captured).toContain('"msg":"request"');
    for (const secret of secrets) expect(captured, `log contains ${secret.slice(0, 12)}…`).not.toContain(secret);
    // Not even a fragment of a token or the password's hashes.
    for (const secret of secrets.filter((value) => value.length >= 40)) expect(captured).not.toContain(secret.slice(-24));
    const user = await server.database.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(captured).not.toContain(user.passwordHash!);
  });
});
