// Sessions and devices through the real HTTP server: mySessions, the once-a-minute last use, revoking
// one session or the others, the admins' view on User, and the NEW_SIGN_IN notice of a device not seen before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, ME_IDENTITY, REFRESH, REGISTER } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const CHROME_WINDOWS_NEWER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

const MY_SESSIONS = `query MySessions($first: Int, $after: String) {
  mySessions(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id device createdAt lastUsedAt lastIpAddress current } }
  }
}`;
const REVOKE_SESSION = `mutation RevokeSession($id: ID!) { revokeSession(id: $id) }`;
const LOGOUT_OTHERS = `mutation LogoutOthers { logoutOthers }`;
const ME_NAME = `query MeName { me { id name } }`;
const USER_SESSIONS = `query UserSessions($id: ID!) { user(id: $id) { id sessions(first: 10) { totalCount edges { node { id device current } } } } }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
});
afterAll(async () => server?.close());

const sessionIdOf = (accessToken: string): string => JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()).sid;

async function signIn(email: string, headers: Record<string, string>) {
  const response = await server.gql(LOGIN, { identifier: email, password: STRONG_PASSWORD }, { headers: { ...fromNewIp().headers, ...headers } });
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.login as { accessToken: string; refreshToken: string; user: { id: string } };
}

async function registerFrom(userAgent: string) {
  const email = uniqueEmail('device');
  const response = await server.gql(
    REGISTER,
    { input: { name: 'Device User', password: STRONG_PASSWORD, email } },
    { headers: { ...fromNewIp().headers, 'user-agent': userAgent } },
  );
  return { email, ...(response.data.register as { accessToken: string; refreshToken: string; user: { id: string } }) };
}

const newSignInMessages = (userId: string) =>
  server.database.prisma.outboxMessage.findMany({ where: { userId, template: 'NEW_SIGN_IN' }, orderBy: { createdAt: 'asc' } });

describe('mySessions', () => {
  it('lists the live sessions with their device, last use and address, marking the current one, a page at a time', async () => {
    const first = await registerFrom(CHROME_WINDOWS);
    server.clock.advance(1_000);
    const app = await signIn(first.email, {
      'user-agent': 'okhttp/4.12',
      'x-client-name': 'Dairy Android',
      'x-client-version': '3.2.1',
      'x-forwarded-for': '10.200.0.7',
    });
    server.clock.advance(1_000);
    const phone = await signIn(first.email, { 'user-agent': SAFARI_IPHONE });

    const page = await server.gql(MY_SESSIONS, { first: 2 }, { token: app.accessToken });
    expect(page.errors).toBeUndefined();
    expect(page.data.mySessions.totalCount).toBe(3);
    expect(page.data.mySessions.pageInfo.hasNextPage).toBe(true);
    expect(page.data.mySessions.edges.map((edge: any) => [edge.node.id, edge.node.device, edge.node.current])).toEqual([
      [sessionIdOf(phone.accessToken), 'Safari 17 on iOS 17', false],
      [sessionIdOf(app.accessToken), 'Dairy Android 3.2.1', true],
    ]);
    expect(page.data.mySessions.edges[1].node.lastIpAddress).toBe('10.200.0.7');
    const rest = await server.gql(MY_SESSIONS, { first: 2, after: page.data.mySessions.pageInfo.endCursor }, { token: app.accessToken });
    expect(rest.data.mySessions.edges.map((edge: any) => [edge.node.id, edge.node.device])).toEqual([
      [sessionIdOf(first.accessToken), 'Chrome 120 on Windows 10'],
    ]);
    expect(rest.data.mySessions.pageInfo.hasNextPage).toBe(false);
  });

  it('writes the last use at most once a minute, in the statement of the session check', async () => {
    const user = await registerFrom(CHROME_WINDOWS);
    const sessionId = sessionIdOf(user.accessToken);
    const rowOf = async () =>
      (
        await server.database.prisma.$queryRaw<{ version: string; lastUsedAt: Date; lastIpAddress: string }[]>`
        SELECT xmin::text AS "version", "lastUsedAt", "lastIpAddress" FROM "Session" WHERE "id" = ${sessionId}::uuid`
      )[0];
    const signedInAt = server.clock.now();
    const written = await rowOf();
    expect(written.lastUsedAt).toEqual(signedInAt);

    const statements: number[] = [];
    for (let request = 0; request < 6; request += 1) {
      server.clock.advance(9_000);
      const answer = await server.gql(ME_NAME, {}, { token: user.accessToken, headers: { 'x-forwarded-for': '10.201.0.1' } });
      expect(answer.errors).toBeUndefined();
      statements.push(answer.statements);
    }
    // 54 seconds, six requests: the row was not written again (same row version, same last use).
    expect(statements).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await rowOf()).toEqual(written);

    server.clock.advance(6_000);
    const answer = await server.gql(ME_NAME, {}, { token: user.accessToken, headers: { 'x-forwarded-for': '10.201.0.2' } });
    expect(answer.statements).toBe(1);
    const touched = await rowOf();
    expect(touched.version).not.toBe(written.version);
    expect(touched.lastUsedAt).toEqual(server.clock.now());
    expect(touched.lastIpAddress).toBe('10.201.0.2');
    const afterTouch = await server.gql(ME_NAME, {}, { token: user.accessToken, headers: { 'x-forwarded-for': '10.201.0.3' } });
    expect(afterTouch.statements).toBe(1);
    expect(await rowOf()).toEqual(touched);
  });
});

describe('ending sessions', () => {
  it("revokeSession ends one of your own sessions, once; another user's answers NOT_FOUND", async () => {
    const user = await registerFrom(CHROME_WINDOWS);
    const other = await signIn(user.email, { 'user-agent': SAFARI_IPHONE });
    const stranger = await registerFrom(CHROME_WINDOWS);
    const otherId = sessionIdOf(other.accessToken);

    const refused = await server.gql(REVOKE_SESSION, { id: otherId }, { token: stranger.accessToken });
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await server.gql(REVOKE_SESSION, { id: 'not-a-session' }, { token: user.accessToken })).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    expect((await server.gql(REVOKE_SESSION, { id: otherId }, { token: user.accessToken })).data.revokeSession).toBe(true);
    expect((await server.gql(ME_IDENTITY, {}, { token: other.accessToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await server.gql(REFRESH, { refreshToken: other.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await server.gql(REVOKE_SESSION, { id: otherId }, { token: user.accessToken })).data.revokeSession).toBe(false);
    expect((await server.gql(ME_IDENTITY, {}, { token: user.accessToken })).errors).toBeUndefined();
    // Ending your own session changes only your own data: no audit entry.
    expect(await server.database.prisma.auditLog.count({ where: { entityId: otherId } })).toBe(0);
  });

  it('logoutOthers ends every other session and keeps this one', async () => {
    const user = await registerFrom(CHROME_WINDOWS);
    const second = await signIn(user.email, { 'user-agent': SAFARI_IPHONE });
    const third = await signIn(user.email, { 'user-agent': CHROME_WINDOWS });
    const answer = await server.gql(LOGOUT_OTHERS, {}, { token: third.accessToken });
    expect(answer.data.logoutOthers).toBe(2);
    expect((await server.gql(ME_IDENTITY, {}, { token: third.accessToken })).errors).toBeUndefined();
    for (const ended of [user.accessToken, second.accessToken]) {
      expect((await server.gql(ME_IDENTITY, {}, { token: ended })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const left = await server.gql(MY_SESSIONS, {}, { token: third.accessToken });
    expect(left.data.mySessions.edges.map((edge: any) => edge.node.id)).toEqual([sessionIdOf(third.accessToken)]);
  });

  it("admins see a user's sessions on User and revoke them, audited; the user cannot read the field", async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const user = await registerFrom(CHROME_WINDOWS);
    const listed = await server.gql(USER_SESSIONS, { id: user.user.id }, { token: admin.token });
    expect(listed.errors).toBeUndefined();
    expect(listed.data.user.sessions).toEqual({
      totalCount: 1,
      edges: [{ node: { id: sessionIdOf(user.accessToken), device: 'Chrome 120 on Windows 10', current: false } }],
    });
    const own = await server.gql(USER_SESSIONS, { id: user.user.id }, { token: user.accessToken });
    expect(own.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const revoked = await server.gql(REVOKE_SESSION, { id: sessionIdOf(user.accessToken) }, { token: admin.token });
    expect(revoked.data.revokeSession).toBe(true);
    expect((await server.gql(ME_IDENTITY, {}, { token: user.accessToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const entries = await server.database.prisma.auditLog.findMany({ where: { action: 'session.revoke', targetUserId: user.user.id } });
    expect(
      entries.map((entry) => [entry.actorUserId, entry.entityType, entry.entityId, (entry.details as any).before, (entry.details as any).after.reason]),
    ).toEqual([[admin.user.id, 'Session', sessionIdOf(user.accessToken), { device: 'Chrome 120 on Windows 10', revokedAt: null }, 'revoked-by-admin']]);
  });
});

describe('new sign-ins', () => {
  it('queues NEW_SIGN_IN for a device the user has not signed in from before, and only then', async () => {
    const user = await registerFrom(CHROME_WINDOWS);
    // The account's first session (the registration) has nothing to compare with.
    expect(await newSignInMessages(user.user.id)).toEqual([]);
    await signIn(user.email, { 'user-agent': CHROME_WINDOWS_NEWER });
    expect(await newSignInMessages(user.user.id)).toHaveLength(0);
    const phone = await signIn(user.email, { 'user-agent': SAFARI_IPHONE });
    const messages = await newSignInMessages(user.user.id);
    expect(messages.map((message) => [message.to, message.channel, message.dedupeKey])).toEqual([
      [user.email, 'EMAIL', `new-sign-in:${sessionIdOf(phone.accessToken)}`],
    ]);
    expect(messages[0].text).toContain('Safari 17 on iOS 17');
    await signIn(user.email, { 'user-agent': SAFARI_IPHONE });
    // A refresh is the same session, not a sign-in.
    await server.gql(REFRESH, { refreshToken: phone.refreshToken }, { headers: { 'user-agent': 'curl/8.4.0' } });
    expect(await newSignInMessages(user.user.id)).toHaveLength(1);
  });

  it('knows a device by its x-device-id when the client sends one: the same browser elsewhere is new', async () => {
    const user = await registerFrom(CHROME_WINDOWS);
    const laptop = { 'user-agent': CHROME_WINDOWS, 'x-device-id': 'laptop-0123456789abcdef' };
    await signIn(user.email, laptop);
    expect(await newSignInMessages(user.user.id)).toHaveLength(1);
    await signIn(user.email, laptop);
    expect(await newSignInMessages(user.user.id)).toHaveLength(1);
    await signIn(user.email, { ...laptop, 'x-device-id': 'intruder-fedcba9876543210' });
    expect(await newSignInMessages(user.user.id)).toHaveLength(2);
  });

  it('refuses malformed device headers, naming the header, before the password is checked', async () => {
    const user = await registerFrom(CHROME_WINDOWS);
    const cases: [Record<string, string>, string][] = [
      [{ 'x-client-name': '<script>' }, 'x-client-name'],
      [{ 'x-client-name': 'Dairy', 'x-client-version': 'v 1' }, 'x-client-version'],
      [{ 'x-client-version': '1.0' }, 'x-client-version'],
      [{ 'x-device-id': 'short' }, 'x-device-id'],
    ];
    for (const [headers, field] of cases) {
      const answer = await server.gql(
        LOGIN,
        { identifier: user.email, password: 'not the password at all' },
        { headers: { ...fromNewIp().headers, ...headers } },
      );
      expect(answer.errors?.[0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});
