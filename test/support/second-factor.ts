// The second factor through the real API: enrolling an authenticator app (the code computed as the app
// would, from the server's clock), and signing in through the challenge.
import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from './testkit/index.js';
import { SESSION_PARTS } from './operations.js';
import type { GraphQLResponse, TestServer } from './server.js';

/** The production default: the second-factor tests start their servers with it. */
export const MFA_ADMIN = { MFA_REQUIRED_ROLES: 'ADMIN' };

/**
 * No role needs a second factor: the servers of the tests that sign admins in by password alone, stated rather
 * than defaulted (the default is ADMIN).
 */
export const MFA_OFF = { MFA_REQUIRED_ROLES: 'none' };

export const BEGIN_TOTP = `mutation BeginTotpEnrolment { beginTotpEnrolment { secret uri } }`;
export const CONFIRM_TOTP = `mutation ConfirmTotpEnrolment($code: String!) { confirmTotpEnrolment(code: $code) { recoveryCodes } }`;
export const VERIFY_SECOND_FACTOR = `mutation VerifySecondFactor($challenge: String!, $code: String, $recoveryCode: String, $passkeyResponse: String) {
  verifySecondFactor(challenge: $challenge, code: $code, recoveryCode: $recoveryCode, passkeyResponse: $passkeyResponse) { ${SESSION_PARTS} } }`;
export const REAUTHENTICATE = `mutation Reauthenticate($code: String, $recoveryCode: String) { reauthenticate(code: $code, recoveryCode: $recoveryCode) { verifiedAt validUntil } }`;
export const SECOND_FACTOR_STATUS = `query SecondFactorStatus { secondFactorStatus { required totpEnrolled recoveryCodesLeft verifiedAt pending passkeys { id name } } }`;
export const RESET_SECOND_FACTOR = `mutation ResetSecondFactor($userId: ID!) { resetSecondFactor(userId: $userId) }`;

/** The code an authenticator app shows at `at` for this base32 secret. */
export function totpCode(secret: string, at: Date): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at.getTime() });
}

export function codeOf(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** Enrols an authenticator app for the session of `token`; the session then counts as verified. */
export async function enrolTotp(server: TestServer, token: string) {
  const begun = await server.gql(BEGIN_TOTP, {}, { token });
  expect(begun.errors).toBeUndefined();
  const secret = begun.data.beginTotpEnrolment.secret as string;
  const confirmed = await server.gql(CONFIRM_TOTP, { code: totpCode(secret, server.clock.now()) }, { token });
  expect(confirmed.errors).toBeUndefined();
  return { secret, recoveryCodes: confirmed.data.confirmTotpEnrolment.recoveryCodes as string[] };
}

/** A user signed in by password whose authenticator app is enrolled through the API (the clock then moves on a step). */
export async function createUserWithTotp(server: TestServer, roles: Role[], options: { email?: string; phone?: string; password?: string } = {}) {
  const signedIn = await createSignedInUser(server, roles, {
    email: options.email ?? uniqueEmail('staff'),
    phone: options.phone,
    password: options.password ?? STRONG_PASSWORD,
  });
  const enrolled = await enrolTotp(server, signedIn.token);
  // The code used to confirm is spent: the next one belongs to the next 30-second step.
  server.clock.advance(30_000);
  return { ...signedIn, ...enrolled };
}
