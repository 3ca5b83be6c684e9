// The second factor through the real server, with the production default MFA_REQUIRED_ROLES=ADMIN:
// enrolment (the enrol-only session), the challenge and its own token type, replay and wrong-code limits,
// recovery codes, step-up of the sensitive admin mutations, and an admin's reset (audited).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, ME_IDENTITY, REFRESH, REQUEST_OTP, VERIFY_OTP } from '../support/operations.js';
import {
  BEGIN_TOTP,
  codeOf,
  CONFIRM_TOTP,
  createUserWithTotp,
  enrolTotp,
  MFA_ADMIN,
  REAUTHENTICATE,
  RESET_SECOND_FACTOR,
  SECOND_FACTOR_STATUS,
  totpCode,
  VERIFY_SECOND_FACTOR,
} from '../support/second-factor.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ...MFA_ADMIN, TRUST_PROXY: 'true' });
});
afterAll(async () => server?.close());

const USERS = `query Users { users(first: 1) { totalCount } }`;
const SET_ROLES = `mutation SetUserRoles($userId: ID!, $roles: [Role!]!) { setUserRoles(userId: $userId, roles: $roles) { id roles } }`;

/** A password sign-in that must answer SECOND_FACTOR_REQUIRED: its challenge. */
async function challengeFor(email: string, password = STRONG_PASSWORD): Promise<string> {
  const answer = await server.gql(LOGIN, { identifier: email, password }, fromNewIp());
  expect(codeOf(answer)).toBe('SECOND_FACTOR_REQUIRED');
  expect(answer.data?.login ?? null).toBeNull();
  return answer.errors![0].extensions!.challenge as string;
}

function verify(challenge: string, proof: { code?: string; recoveryCode?: string }): Promise<GraphQLResponse> {
  return server.gql(VERIFY_SECOND_FACTOR, { challenge, ...proof }, fromNewIp());
}

describe('enrolling an authenticator app', () => {
  it('gives an admin without one a session that can only enrol, then a full one once a first code confirms it', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    expect(codeOf(await server.gql(USERS, {}, { token: admin.token }))).toBe('SECOND_FACTOR_ENROLMENT_REQUIRED');
    const refused = await server.gql(SET_ROLES, { userId: admin.user.id, roles: ['ADMIN'] }, { token: admin.token });
    expect(codeOf(refused)).toBe('SECOND_FACTOR_ENROLMENT_REQUIRED');
    const before = await server.gql(SECOND_FACTOR_STATUS, {}, { token: admin.token });
    expect(before.data.secondFactorStatus).toEqual({
      required: true,
      totpEnrolled: false,
      recoveryCodesLeft: 0,
      verifiedAt: null,
      pending: 'ENROL',
      passkeys: [],
    });
    expect((await server.gql(ME_IDENTITY, {}, { token: admin.token })).data.me.id).toBe(admin.user.id);

    const begun = await server.gql(BEGIN_TOTP, {}, { token: admin.token });
    const { secret, uri } = begun.data.beginTotpEnrolment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/.+\\?.*secret=${secret}`));
    expect(uri).toContain('period=30');
    // A wrong first code is refused naming the field, and nothing is enrolled.
    const wrong = await server.gql(CONFIRM_TOTP, { code: '000000' === totpCode(secret, server.clock.now()) ? '111111' : '000000' }, { token: admin.token });
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.errors![0].extensions!.field).toBe('code');
    const confirmed = await server.gql(CONFIRM_TOTP, { code: totpCode(secret, server.clock.now()) }, { token: admin.token });
    const codes = confirmed.data.confirmTotpEnrolment.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);

    expect((await server.gql(USERS, {}, { token: admin.token })).errors).toBeUndefined();
    const after = await server.gql(SECOND_FACTOR_STATUS, {}, { token: admin.token });
    expect(after.data.secondFactorStatus).toMatchObject({
      required: true,
      totpEnrolled: true,
      recoveryCodesLeft: 10,
      pending: null,
      verifiedAt: server.clock.now().toISOString(),
    });
    // Stored: the secret encrypted, the codes hashed; one audit entry that names neither.
    const stored = await server.database.prisma.secondFactor.findUniqueOrThrow({ where: { userId: admin.user.id } });
    expect(stored.totpSecret).not.toContain(secret);
    expect(stored.totpSecret).toMatch(/^v1:/);
    const hashes = await server.database.prisma.recoveryCode.findMany({ where: { userId: admin.user.id } });
    expect(hashes).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(hashes)).not.toContain(code.replace('-', ''));
    const audit = await server.database.prisma.auditLog.findMany({ where: { entityId: admin.user.id, action: { startsWith: 'second-factor.' } } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: admin.user.id,
      action: 'second-factor.totp-enrolled',
      details: { before: { authenticatorApp: false, passkeys: 0 }, after: { authenticatorApp: true, passkeys: 0, spareCodesLeft: 10 } },
    });
    expect(JSON.stringify(audit[0].details)).not.toContain(secret);
    // Once enrolled, the app cannot be replaced by starting again.
    server.clock.advance(30_000);
    expect(codeOf(await server.gql(BEGIN_TOTP, {}, { token: admin.token }))).toBe('CONFLICT');
  });

  it('signs a role that needs no second factor in by password alone', async () => {
    const staff = await createSignedInUser(server, ['MARKETING_STAFF']);
    const status = await server.gql(SECOND_FACTOR_STATUS, {}, { token: staff.token });
    expect(status.data.secondFactorStatus).toMatchObject({ required: false, totpEnrolled: false, pending: null });
    expect(codeOf(await server.gql(`query { customers(first: 1) { totalCount } }`, {}, { token: staff.token }))).toBeUndefined();
  });
});

describe('signing in with a second factor', () => {
  it('answers a challenge of its own type that works nowhere else, and a code completes the sign-in once', async () => {
    const admin = await createUserWithTotp(server, ['ADMIN']);
    const challenge = await challengeFor(admin.email);
    // The challenge is no access token and no refresh token.
    expect(codeOf(await server.gql(ME_IDENTITY, {}, { token: challenge }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.gql(REFRESH, { refreshToken: challenge }))).toBe('UNAUTHENTICATED');
    // And an access token is no challenge.
    expect(codeOf(await verify(admin.token, { code: totpCode(admin.secret, server.clock.now()) }))).toBe('UNAUTHENTICATED');

    const code = totpCode(admin.secret, server.clock.now());
    const signedIn = await verify(challenge, { code });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.data.verifySecondFactor.user).toMatchObject({ id: admin.user.id, roles: ['ADMIN'] });
    const token = signedIn.data.verifySecondFactor.accessToken as string;
    // The new session has just proved the factor: a sensitive mutation goes through at once.
    expect((await server.gql(SET_ROLES, { userId: admin.user.id, roles: ['ADMIN'] }, { token })).errors).toBeUndefined();
    // The challenge is spent, and the same code is not accepted twice within its window.
    expect(codeOf(await verify(challenge, { code }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await verify(await challengeFor(admin.email), { code }))).toBe('INVALID_CREDENTIALS');
    server.clock.advance(30_000);
  });

  it('ends a challenge after 5 wrong codes, and counts wrong codes toward the account lockout', async () => {
    const admin = await createUserWithTotp(server, ['ADMIN']);
    const wrongCode = () => {
      const right = totpCode(admin.secret, server.clock.now());
      return right === '123456' ? '654321' : '123456';
    };
    // Failure 1 is the password sign-in itself (its count stays until the second factor is proved too).
    const first = await challengeFor(admin.email);
    for (let index = 0; index < 5; index += 1) expect(codeOf(await verify(first, { code: wrongCode() }))).toBe('INVALID_CREDENTIALS');
    expect(codeOf(await verify(first, { code: totpCode(admin.secret, server.clock.now()) }))).toBe('UNAUTHENTICATED');
    // Failures 2-6 were the codes; 7 is this sign-in, 8-10 three more codes, the tenth locking the account.
    const second = await challengeFor(admin.email);
    for (let index = 0; index < 3; index += 1) expect(codeOf(await verify(second, { code: wrongCode() }))).toBe('INVALID_CREDENTIALS');
    const locked = await verify(second, { code: totpCode(admin.secret, server.clock.now()) });
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    expect(locked.errors![0].extensions!.retryAfterSeconds).toBe(15 * 60);
    // While locked, the password answers as a wrong one would.
    expect(codeOf(await server.gql(LOGIN, { identifier: admin.email, password: STRONG_PASSWORD }, fromNewIp()))).toBe('INVALID_CREDENTIALS');
    server.clock.advance(15 * 60 * 1000 + 1000);
    const after = await verify(await challengeFor(admin.email), { code: totpCode(admin.secret, server.clock.now()) });
    expect(after.errors).toBeUndefined();
  });

  it('accepts each recovery code once, in any case and without its dash', async () => {
    const admin = await createUserWithTotp(server, ['ADMIN']);
    const [first, second] = admin.recoveryCodes;
    const used = await verify(await challengeFor(admin.email), { recoveryCode: first });
    expect(used.errors).toBeUndefined();
    expect(codeOf(await verify(await challengeFor(admin.email), { recoveryCode: first }))).toBe('INVALID_CREDENTIALS');
    const typed = await verify(await challengeFor(admin.email), { recoveryCode: second.replace('-', '').toLowerCase() });
    expect(typed.errors).toBeUndefined();
    const status = await server.gql(SECOND_FACTOR_STATUS, {}, { token: typed.data.verifySecondFactor.accessToken });
    expect(status.data.secondFactorStatus.recoveryCodesLeft).toBe(8);
    // Exactly one proof: both, or none, is refused naming the field.
    const both = await verify(await challengeFor(admin.email), { code: '123456', recoveryCode: second });
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
    expect(both.errors![0].extensions!.field).toBe('code');
  });

  it('asks for it after an OTP sign-in too', async () => {
    const phone = uniquePhone();
    const admin = await createUserWithTotp(server, ['ADMIN'], { phone });
    expect((await server.gql(REQUEST_OTP, { phone }, fromNewIp())).errors).toBeUndefined();
    const message = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' }, orderBy: { createdAt: 'desc' } });
    const answer = await server.gql(VERIFY_OTP, { phone, code: (message.variables as { code: string }).code }, fromNewIp());
    expect(codeOf(answer)).toBe('SECOND_FACTOR_REQUIRED');
    expect(answer.errors![0].extensions!.methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    const signedIn = await verify(answer.errors![0].extensions!.challenge, { code: totpCode(admin.secret, server.clock.now()) });
    expect(signedIn.data.verifySecondFactor.user.id).toBe(admin.user.id);
    server.clock.advance(30_000);
  });

  it('challenges any user who has enrolled, whatever the role', async () => {
    const staff = await createUserWithTotp(server, ['MARKETING_STAFF']);
    const challenge = await challengeFor(staff.email);
    const signedIn = await verify(challenge, { code: totpCode(staff.secret, server.clock.now()) });
    expect(signedIn.data.verifySecondFactor.user.roles).toEqual(['MARKETING_STAFF']);
  });
});

describe('step-up for sensitive admin mutations', () => {
  it('refuses each of them with STEP_UP_REQUIRED once the factor is over 15 minutes old, until reauthenticate', async () => {
    const admin = await createUserWithTotp(server, ['ADMIN']);
    const target = await createSignedInUser(server, ['MARKETING_STAFF']);
    const sensitive: [string, Record<string, unknown>][] = [
      [SET_ROLES, { userId: target.user.id, roles: ['MARKETING_STAFF'] }],
      [`mutation($userId: ID!) { setUserStatus(userId: $userId, status: ACTIVE) { id } }`, { userId: target.user.id }],
      [
        `mutation($email: String!) { createStaffUser(input: { name: "New Staff", roles: [MARKETING_STAFF], email: $email, password: "${STRONG_PASSWORD}" }) { id } }`,
        { email: uniqueEmail('new') },
      ],
      [`mutation($userId: ID!) { unlockUser(userId: $userId) { id } }`, { userId: target.user.id }],
      [`mutation($id: ID!) { recordPayout(deliveryBoyId: $id, amountPaise: 100) { id } }`, { id: randomUUID() }],
      [`mutation($id: ID!) { reviewPriceChange(id: $id, approve: true) { id } }`, { id: randomUUID() }],
      [RESET_SECOND_FACTOR, { userId: target.user.id }],
    ];
    // 16 minutes on: the access token has expired too, so the session is refreshed (it keeps its proof time).
    server.clock.advance(16 * 60 * 1000);
    const refreshed = await server.gql(REFRESH, { refreshToken: admin.refreshToken });
    const token = refreshed.data.refreshSession.accessToken as string;
    for (const [query, variables] of sensitive) {
      const answer = await server.gql(query, variables, { token });
      expect(codeOf(answer), query).toBe('STEP_UP_REQUIRED');
      expect(answer.errors![0].extensions!.stepUpWindowSeconds).toBe(900);
    }
    // Reading is not sensitive.
    expect((await server.gql(USERS, {}, { token })).errors).toBeUndefined();

    const wrong = await server.gql(REAUTHENTICATE, { code: totpCode(admin.secret, server.clock.now()) === '123456' ? '654321' : '123456' }, { token });
    expect(codeOf(wrong)).toBe('INVALID_CREDENTIALS');
    const stepped = await server.gql(REAUTHENTICATE, { code: totpCode(admin.secret, server.clock.now()) }, { token });
    expect(stepped.data.reauthenticate).toEqual({
      verifiedAt: server.clock.now().toISOString(),
      validUntil: new Date(server.clock.now().getTime() + 15 * 60 * 1000).toISOString(),
    });
    const answers = await Promise.all(sensitive.slice(0, 4).map(([query, variables]) => server.gql(query, variables, { token })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    // The services answer their own errors now that the step-up has passed.
    expect(codeOf(await server.gql(sensitive[4][0], sensitive[4][1], { token }))).toBe('NOT_FOUND');
    expect(codeOf(await server.gql(sensitive[5][0], sensitive[5][1], { token }))).toBe('NOT_FOUND');
    server.clock.advance(30_000);
  });

  it("leaves an enrolled user's session that never proved the factor able only to reauthenticate", async () => {
    const admin = await createUserWithTotp(server, ['ADMIN']);
    // A session opened before the factor existed (say, before this server version): no proof recorded.
    await server.database.prisma.session.updateMany({ where: { userId: admin.user.id }, data: { secondFactorAt: null } });
    expect(codeOf(await server.gql(USERS, {}, { token: admin.token }))).toBe('STEP_UP_REQUIRED');
    expect((await server.gql(SECOND_FACTOR_STATUS, {}, { token: admin.token })).data.secondFactorStatus.pending).toBe('VERIFY');
    expect((await server.gql(REAUTHENTICATE, { code: totpCode(admin.secret, server.clock.now()) }, { token: admin.token })).errors).toBeUndefined();
    expect((await server.gql(USERS, {}, { token: admin.token })).errors).toBeUndefined();
    server.clock.advance(30_000);
  });
});

describe("an admin resetting another user's second factor", () => {
  it("removes it, ends that user's sessions, writes one audit entry, and the next sign-in enrols again", async () => {
    const admin = await createUserWithTotp(server, ['ADMIN']);
    const other = await createUserWithTotp(server, ['ADMIN']);
    expect(codeOf(await server.gql(RESET_SECOND_FACTOR, { userId: admin.user.id }, { token: admin.token }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await server.gql(RESET_SECOND_FACTOR, { userId: randomUUID() }, { token: admin.token }))).toBe('NOT_FOUND');
    const reset = await server.gql(RESET_SECOND_FACTOR, { userId: other.user.id }, { token: admin.token });
    expect(reset.data).toEqual({ resetSecondFactor: true });
    expect(codeOf(await server.gql(ME_IDENTITY, {}, { token: other.token }))).toBe('UNAUTHENTICATED');
    const audit = await server.database.prisma.auditLog.findMany({ where: { entityId: other.user.id, action: 'second-factor.reset' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: admin.user.id,
      details: { before: { authenticatorApp: true, passkeys: 0, spareCodesLeft: 10 }, after: { authenticatorApp: false, passkeys: 0, spareCodesLeft: 0 } },
    });
    expect(await server.database.prisma.recoveryCode.count({ where: { userId: other.user.id } })).toBe(0);
    // A password alone signs in again, to a session that can only enrol.
    const again = await server.gql(LOGIN, { identifier: other.email, password: STRONG_PASSWORD }, fromNewIp());
    expect(again.errors).toBeUndefined();
    const token = again.data.login.accessToken as string;
    expect(codeOf(await server.gql(USERS, {}, { token }))).toBe('SECOND_FACTOR_ENROLMENT_REQUIRED');
    await enrolTotp(server, token);
    expect((await server.gql(USERS, {}, { token })).errors).toBeUndefined();
    server.clock.advance(30_000);
  });

  it('is for admins only', async () => {
    const staff = await createSignedInUser(server, ['MARKETING_STAFF']);
    expect(codeOf(await server.gql(RESET_SECOND_FACTOR, { userId: staff.user.id }, { token: staff.token }))).toBe('FORBIDDEN');
  });
});
