import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { CHANGE_PASSWORD, fromNewIp, LOGIN, LOGOUT, LOGOUT_ALL, ME_IDENTITY, REFRESH, REGISTER } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true', JWT_SECRET: SECRET, JWT_ISSUER: 'dairy-bff', JWT_AUDIENCE: 'dairy-apps' });
});
afterAll(async () => server?.close());

async function register() {
  const email = uniqueEmail();
  const response = await server.gql(REGISTER, { input: { name: 'Session User', password: STRONG_PASSWORD, email } }, fromNewIp());
  return { email, ...response.data.register };
}

const meCode = async (token: string) => (await server.gql(ME_IDENTITY, {}, { token })).errors?.[0]?.extensions?.code ?? 'OK';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access tokens', () => {
  it('refuses alg none, a wrong key, a wrong typ or audience, an expired or a tampered token', async () => {
    const session = await register();
    expect(await meCode(session.accessToken)).toBe('OK');
    const [header, payload, signature] = session.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sid', 'sub']);
    expect(claims.exp - claims.iat).toBe(900);
    const now = Math.floor(server.clock.now().getTime() / 1000);
    const sign = (secret: string, options: { typ?: string; audience?: string; issuedAt?: number } = {}) =>
      new SignJWT({ sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: options.typ ?? 'at+jwt' })
        .setIssuer('dairy-bff')
        .setAudience(options.audience ?? 'dairy-apps')
        .setSubject(claims.sub)
        .setIssuedAt(options.issuedAt ?? now)
        .setExpirationTime((options.issuedAt ?? now) + 900)
        .setJti('forged')
        .sign(new TextEncoder().encode(secret));
    expect(await meCode(await sign(SECRET))).toBe('OK');
    const forged = {
      algNone: `${base64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`,
      wrongKey: await sign('another-secret-that-is-at-least-32-bytes!'),
      wrongTyp: await sign(SECRET, { typ: 'JWT' }),
      wrongAudience: await sign(SECRET, { audience: 'someone-else' }),
      expired: await sign(SECRET, { issuedAt: now - 901 }),
      tampered: `${header}.${base64url({ ...claims, sub: '00000000-0000-7000-8000-000000000000' })}.${signature}`,
      refreshTokenAsAccess: session.refreshToken,
      garbage: 'Bearer-not-a-token',
    };
    for (const [name, token] of Object.entries(forged)) {
      expect(await meCode(token), name).toBe('UNAUTHENTICATED');
    }
  });

  it('expires after 15 minutes of the server clock', async () => {
    const session = await register();
    server.clock.advance(14 * 60 * 1000);
    expect(await meCode(session.accessToken)).toBe('OK');
    server.clock.advance(61 * 1000);
    expect(await meCode(session.accessToken)).toBe('UNAUTHENTICATED');
  });

  it('answers anonymous callers of protected fields with UNAUTHENTICATED', async () => {
    const response = await server.gql(ME_IDENTITY);
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('session checks on every request', () => {
  it('ends every session on logoutAll', async () => {
    const session = await register();
    const second = await server.gql(LOGIN, { identifier: session.email, password: STRONG_PASSWORD }, fromNewIp());
    expect(await server.gql(LOGOUT_ALL, {}, { token: session.accessToken })).toMatchObject({ data: { logoutAll: true } });
    expect(await meCode(session.accessToken)).toBe('UNAUTHENTICATED');
    expect(await meCode(second.data.login.accessToken)).toBe('UNAUTHENTICATED');
    const refresh = await server.gql(REFRESH, { refreshToken: second.data.login.refreshToken });
    expect(refresh.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('ends one session on logout and leaves the others', async () => {
    const session = await register();
    const other = await server.gql(LOGIN, { identifier: session.email, password: STRONG_PASSWORD }, fromNewIp());
    expect((await server.gql(LOGOUT, { refreshToken: session.refreshToken }, { token: session.accessToken })).data.logout).toBe(true);
    expect(await meCode(session.accessToken)).toBe('UNAUTHENTICATED');
    expect(await meCode(other.data.login.accessToken)).toBe('OK');
  });

  it('stops a disabled user and a removed role on the next request', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const staff = await createSignedInUser(server, ['MARKETING_STAFF', 'CUSTOMER']);
    const lookup = `query($identifier: String!) { lookupUser(identifier: $identifier) { id } }`;
    expect((await server.gql(lookup, { identifier: admin.email }, { token: staff.token })).errors).toBeUndefined();
    const setRoles = `mutation($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id roles } }`;
    const changed = await server.gql(setRoles, { userId: staff.user.id, roles: ['CUSTOMER'] }, { token: admin.token });
    expect(changed.data.setUserRoles.roles).toEqual(['CUSTOMER']);
    const afterRoleChange = await server.gql(lookup, { identifier: admin.email }, { token: staff.token });
    expect(afterRoleChange.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await meCode(staff.token)).toBe('OK');
    const setStatus = `mutation($userId: ID!, $status: UserStatus!) { setUserStatus(userId: $userId, status: $status) { id status } }`;
    const disabled = await server.gql(setStatus, { userId: staff.user.id, status: 'DISABLED' }, { token: admin.token });
    expect(disabled.data.setUserStatus.status).toBe('DISABLED');
    expect(await meCode(staff.token)).toBe('UNAUTHENTICATED');
    const login = await server.gql(LOGIN, { identifier: staff.email, password: STRONG_PASSWORD }, fromNewIp());
    expect(login.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
    const audit = await server.database.prisma.auditLog.findMany({ where: { entityId: staff.user.id }, orderBy: { at: 'asc' } });
    expect(audit.map((entry) => entry.action)).toEqual(['user.set-roles', 'user.set-status']);
  });

  it('changePassword needs the current password and ends the other sessions only', async () => {
    const session = await register();
    const other = await server.gql(LOGIN, { identifier: session.email, password: STRONG_PASSWORD }, fromNewIp());
    const wrong = await server.gql(
      CHANGE_PASSWORD,
      { currentPassword: 'not my password at all', newPassword: 'a brand new passphrase 7' },
      { token: session.accessToken },
    );
    expect(wrong.errors?.[0].extensions?.code).toBe('INVALID_CREDENTIALS');
    const changed = await server.gql(
      CHANGE_PASSWORD,
      { currentPassword: STRONG_PASSWORD, newPassword: 'a brand new passphrase 7' },
      { token: session.accessToken },
    );
    expect(changed.data.changePassword).toBe(true);
    expect(await meCode(session.accessToken)).toBe('OK');
    expect(await meCode(other.data.login.accessToken)).toBe('UNAUTHENTICATED');
    expect((await server.gql(LOGIN, { identifier: session.email, password: 'a brand new passphrase 7' }, fromNewIp())).errors).toBeUndefined();
  });
});

describe('refresh rotation', () => {
  it('rotates, tolerates a race within 10 seconds, and revokes the family on later reuse', async () => {
    const session = await register();
    const first = await server.gql(REFRESH, { refreshToken: session.refreshToken });
    expect(first.errors).toBeUndefined();
    const rotated = first.data.refreshSession;
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.user.id).toBe(session.user.id);
    server.clock.advance(5_000);
    const race = await server.gql(REFRESH, { refreshToken: session.refreshToken });
    expect(race.errors?.[0].extensions?.code).toBe('REFRESH_RACE');
    expect(await meCode(rotated.accessToken)).toBe('OK');
    const second = await server.gql(REFRESH, { refreshToken: rotated.refreshToken });
    expect(second.errors).toBeUndefined();
    const newest = second.data.refreshSession;
    server.clock.advance(11_000);
    const reuse = await server.gql(REFRESH, { refreshToken: session.refreshToken });
    expect(reuse.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // The whole family is revoked: the newest refresh token and its access token stop working too.
    expect((await server.gql(REFRESH, { refreshToken: newest.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await meCode(newest.accessToken)).toBe('UNAUTHENTICATED');
  });

  it('answers REFRESH_RACE to two simultaneous refreshes of one token and keeps the session', async () => {
    const session = await register();
    const answers = await Promise.all([0, 1, 2].map(() => server.gql(REFRESH, { refreshToken: session.refreshToken })));
    const succeeded = answers.filter((answer) => !answer.errors);
    expect(succeeded).toHaveLength(1);
    expect(answers.filter((answer) => answer.errors?.[0].extensions?.code === 'REFRESH_RACE')).toHaveLength(2);
    expect(await meCode(succeeded[0].data.refreshSession.accessToken)).toBe('OK');
  });

  it('refuses unknown and expired refresh tokens', async () => {
    expect((await server.gql(REFRESH, { refreshToken: 'x'.repeat(43) })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const session = await register();
    server.clock.advance(30 * 24 * 60 * 60 * 1000 + 1000);
    expect((await server.gql(REFRESH, { refreshToken: session.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
