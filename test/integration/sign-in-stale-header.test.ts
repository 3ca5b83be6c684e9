// Sign-in mutations with whatever Authorization header a client still had attached: another user's valid
// token, an expired one, one whose session was revoked, garbage, or a header that is not a bearer token.
// Every sign-in returns its tokens and its user, judged as the newly signed-in user, down to the user's
// customer facet; the header neither blocks the sign-in nor lends it the old user's rights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGOUT, REQUEST_OTP, REQUEST_RESET } from '../support/operations.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

let server: TestServer;
let staleHeaders: Record<string, string | undefined>;

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
  const other = await createSignedInUser(server, ['CUSTOMER'], { name: 'Other Customer' });
  const revoked = await createSignedInUser(server, ['CUSTOMER'], { name: 'Signed Out' });
  const logout = await server.gql(LOGOUT, { refreshToken: revoked.refreshToken }, { token: revoked.token });
  expect(logout.data).toEqual({ logout: true });
  const sessionId = (await server.database.prisma.session.findFirstOrThrow({ where: { userId: other.user.id } })).id;
  const expired = await server.app.tokens.sign({ userId: other.user.id, sessionId }, new Date(server.clock.now().getTime() - 16 * 60_000));
  staleHeaders = {
    none: undefined,
    anotherUsersToken: `Bearer ${other.token}`,
    expiredToken: `Bearer ${expired.token}`,
    revokedSession: `Bearer ${revoked.token}`,
    garbageToken: 'Bearer not-a-token',
    notABearerToken: 'Basic dXNlcjpwYXNzd29yZA==',
  };
});
afterAll(async () => server?.close());

const PAYLOAD = `accessToken refreshToken user { id name email phone roles status customer { id phone } }`;
const signInOperations = {
  register: `mutation($input: RegisterInput!) { register(input: $input) { ${PAYLOAD} } }`,
  login: `mutation($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { ${PAYLOAD} } }`,
  verifyOtp: `mutation($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { ${PAYLOAD} } }`,
  refreshSession: `mutation($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${PAYLOAD} } }`,
};

function withHeader(header: string | undefined) {
  const client = fromNewIp();
  return header === undefined ? client : { headers: { ...client.headers, authorization: header } };
}

async function latestMessageVariable(to: string, template: 'OTP' | 'PASSWORD_RESET', name: 'code' | 'token'): Promise<string> {
  const message = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to, template }, orderBy: { createdAt: 'desc' } });
  return (message.variables as Record<string, string>)[name];
}

/** The sign-in answered in full, for the expected user, and its access token is that user's. */
async function expectSignedInAs(response: GraphQLResponse, field: keyof typeof signInOperations, userId: string, phone: string | null) {
  expect(response.errors).toBeUndefined();
  const payload = response.data[field];
  expect(payload.user).toMatchObject({ id: userId, roles: ['CUSTOMER'], status: 'ACTIVE', phone });
  expect(payload.user.customer).toMatchObject({ phone });
  expect(payload.user.customer.id).toMatch(/^[0-9a-f-]{36}$/);
  const me = await server.gql(`{ me { id } }`, {}, { token: payload.accessToken });
  expect(me.data).toEqual({ me: { id: userId } });
}

describe('sign-in with a stale Authorization header', () => {
  it('register returns its session and user whatever header comes along', async () => {
    for (const [kind, header] of Object.entries(staleHeaders)) {
      const email = uniqueEmail('stale-register');
      const phone = uniquePhone();
      const response = await server.gql(
        signInOperations.register,
        { input: { name: 'New Customer', password: STRONG_PASSWORD, email, phone } },
        withHeader(header),
      );
      expect(response.errors, kind).toBeUndefined();
      const user = await server.database.prisma.user.findUniqueOrThrow({ where: { email } });
      await expectSignedInAs(response, 'register', user.id, phone);
    }
  });

  it('login returns its session and user whatever header comes along', async () => {
    for (const [kind, header] of Object.entries(staleHeaders)) {
      const phone = uniquePhone();
      const target = await createSignedInUser(server, ['CUSTOMER'], { phone });
      const response = await server.gql(signInOperations.login, { identifier: target.email, password: target.password }, withHeader(header));
      expect(response.errors, kind).toBeUndefined();
      await expectSignedInAs(response, 'login', target.user.id, phone);
    }
  });

  it('verifyOtp returns its session and user whatever header comes along', async () => {
    for (const [kind, header] of Object.entries(staleHeaders)) {
      const phone = uniquePhone();
      expect((await server.gql(REQUEST_OTP, { phone }, fromNewIp())).errors).toBeUndefined();
      const code = await latestMessageVariable(phone, 'OTP', 'code');
      const response = await server.gql(signInOperations.verifyOtp, { phone, code }, withHeader(header));
      expect(response.errors, kind).toBeUndefined();
      const user = await server.database.prisma.user.findUniqueOrThrow({ where: { phone } });
      await expectSignedInAs(response, 'verifyOtp', user.id, phone);
    }
  });

  it('refreshSession returns its session and user whatever header comes along', async () => {
    for (const [kind, header] of Object.entries(staleHeaders)) {
      const phone = uniquePhone();
      const target = await createSignedInUser(server, ['CUSTOMER'], { phone });
      const response = await server.gql(signInOperations.refreshSession, { refreshToken: target.refreshToken }, withHeader(header));
      expect(response.errors, kind).toBeUndefined();
      await expectSignedInAs(response, 'refreshSession', target.user.id, phone);
    }
  });

  it('resetPassword sets the password whatever header comes along', async () => {
    for (const [kind, header] of Object.entries(staleHeaders)) {
      const target = await createSignedInUser(server, ['CUSTOMER']);
      expect((await server.gql(REQUEST_RESET, { identifier: target.email }, fromNewIp())).errors).toBeUndefined();
      const token = await latestMessageVariable(target.email, 'PASSWORD_RESET', 'token');
      const newPassword = `a fresh passphrase for ${kind}`;
      const reset = await server.gql(
        `mutation($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }`,
        { token, newPassword },
        withHeader(header),
      );
      expect(reset, kind).toMatchObject({ data: { resetPassword: true } });
      expect(reset.errors, kind).toBeUndefined();
      const login = await server.gql(signInOperations.login, { identifier: target.email, password: newPassword }, fromNewIp());
      await expectSignedInAs(login, 'login', target.user.id, null);
    }
  });

  it('judges each aliased sign-in of one document as its own user', async () => {
    const first = await createSignedInUser(server, ['CUSTOMER']);
    const second = await createSignedInUser(server, ['CUSTOMER']);
    const document = `mutation($a: String!, $b: String!, $password: String!) {
      a: login(identifier: $a, password: $password) { user { id email customer { id } } }
      b: login(identifier: $b, password: $password) { user { id email customer { id } } }
    }`;
    const response = await server.gql(document, { a: first.email, b: second.email, password: STRONG_PASSWORD }, withHeader(staleHeaders.anotherUsersToken));
    expect(response.errors).toBeUndefined();
    expect(response.data.a.user).toMatchObject({ id: first.user.id, email: first.email });
    expect(response.data.b.user).toMatchObject({ id: second.user.id, email: second.email });
  });
});
