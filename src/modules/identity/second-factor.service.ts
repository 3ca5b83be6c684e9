// The second factor (docs/authentication.md, "Second factor"). Rules:
// - Holders of MFA_REQUIRED_ROLES, and anyone who has enrolled a factor, get a challenge instead of a
//   session from a correct password or OTP; verifySecondFactor turns it into the session.
// - A TOTP code is accepted once per user (its time-step is stored); a challenge dies after 5 wrong tries
//   or 5 minutes; every wrong code also counts against the account's password lockout, and a locked
//   account cannot complete a challenge.
// - Recovery codes: ten, single use, shown once when TOTP is confirmed.
// - Step-up: reauthenticate proves the factor again for the session (sensitive mutations need one from
//   the last 15 minutes); an admin may reset another user's factor, which ends that user's sessions.
import { Secret, TOTP } from 'otpauth';
import type { Role } from '../../auth/roles.js';
import { requireRecentSecondFactor, STEP_UP_WINDOW_MS } from '../../auth/second-factor.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, badUserInput, conflict, ErrorCode, notFound, rateLimited, unauthenticated } from '../../shared/errors.js';
import type { AccessTokens } from './access-token.js';
import type { AttemptCounters } from './attempt-counters.js';
import { accountKey } from './identity.keys.js';
import type { IdentityRepository } from './identity.repository.js';
import { recordSecondFactorAudit } from './second-factor.audit.js';
import { isRecoveryCodeShaped, newRecoveryCode, RECOVERY_CODE_COUNT, type SecondFactorKeys } from './second-factor.crypto.js';
import type { SecondFactorRepository } from './second-factor.repository.js';
import type { SessionService } from './session.service.js';

export const CHALLENGE_MAX_TRIES = 5;
const TOTP_PERIOD_SECONDS = 30;
/** One step either side: a phone clock half a minute off still works. */
const TOTP_WINDOW = 1;

export type SecondFactorMethod = 'TOTP' | 'RECOVERY_CODE' | 'PASSKEY';

/** A proof given to verifySecondFactor or reauthenticate: exactly one of these. */
export interface SecondFactorProof {
  code?: string | null;
  recoveryCode?: string | null;
  /** A passkey assertion, checked against the ceremony's challenge by the passkey service. */
  passkey?: (userId: string, expectedChallenge: string | null) => Promise<boolean>;
}

export interface SecondFactorDependencies {
  db: Database;
  clock: Clock;
  tokens: AccessTokens;
  counters: AttemptCounters;
  users: IdentityRepository;
  factors: SecondFactorRepository;
  sessions: SessionService;
  keys: SecondFactorKeys;
  requiredRoles: readonly Role[];
  issuer: string;
}

type UserRow = NonNullable<Awaited<ReturnType<IdentityRepository['findUserById']>>>;

const wrongCode = () => new AppError(ErrorCode.INVALID_CREDENTIALS, 'the code is wrong, already used or expired');
const challengeEnded = () => unauthenticated('this second-factor challenge has ended: sign in again');

export class SecondFactorService {
  constructor(private readonly deps: SecondFactorDependencies) {}

  /** Whether a sign-in of this user must pass a second factor before it gets a session. */
  needsChallenge(user: UserRow): Promise<boolean> {
    return this.deps.factors.hasAnyFactor(user.id);
  }

  isRequiredFor(roles: readonly string[]): boolean {
    return this.deps.requiredRoles.some((role) => roles.includes(role));
  }

  /** The answer to a correct password of a user with a second factor: SECOND_FACTOR_REQUIRED and a challenge. */
  async challenge(user: UserRow): Promise<never> {
    const now = this.deps.clock.now();
    const methods = await this.methodsOf(user.id);
    const expiresAt = new Date(now.getTime() + 5 * 60 * 1000);
    const row = await this.deps.factors.createChallenge(user.id, now, expiresAt);
    const signed = await this.deps.tokens.signChallenge({ userId: user.id, challengeId: row.id }, now);
    throw new AppError(ErrorCode.SECOND_FACTOR_REQUIRED, 'this account needs its second factor: send the challenge to verifySecondFactor', {
      challenge: signed.token,
      challengeExpiresAt: signed.expiresAt.toISOString(),
      methods,
    });
  }

  async methodsOf(userId: string): Promise<SecondFactorMethod[]> {
    const factor = await this.deps.factors.findFactor(userId);
    const passkeys = await this.deps.factors.passkeysOf(userId);
    const methods: SecondFactorMethod[] = [];
    if (factor?.totpConfirmedAt) methods.push('TOTP', 'RECOVERY_CODE');
    if (passkeys.length > 0) methods.push('PASSKEY');
    return methods;
  }

  /** The challenge's row and user, or UNAUTHENTICATED when it has ended. */
  async openChallenge(challengeToken: string) {
    const now = this.deps.clock.now();
    const claims = await this.deps.tokens.verifyChallenge(challengeToken, now);
    const row = await this.deps.factors.findChallenge(claims.challengeId);
    if (!row || row.userId !== claims.userId || row.completedAt || row.expiresAt <= now || row.failedAttempts >= CHALLENGE_MAX_TRIES) throw challengeEnded();
    const user = await this.deps.users.findUserById(row.userId);
    if (!user || user.status !== 'ACTIVE') throw challengeEnded();
    return { row, user };
  }

  /** The user whose challenge this proof completes; the caller then opens the session. */
  async prove(challengeToken: string, proof: SecondFactorProof): Promise<UserRow> {
    checkOneProof(proof);
    const { row, user } = await this.openChallenge(challengeToken);
    const now = this.deps.clock.now();
    if (await this.deps.counters.lockedUntil(accountKey(user.id), now)) throw await this.lockRefusal(user.id, now);
    if (!(await this.deps.factors.claimChallengeTry(row.id, CHALLENGE_MAX_TRIES, now))) throw challengeEnded();
    if (!(await this.check(user.id, proof, now, row.passkeyChallenge))) throw await this.countWrongCode(user.id, now);
    if (!(await this.deps.factors.completeChallenge(row.id, now))) throw challengeEnded();
    await this.deps.counters.reset(accountKey(user.id));
    return user;
  }

  /** Step-up: proves the factor again for this session. */
  async reauthenticate(viewer: Viewer, proof: SecondFactorProof): Promise<{ verifiedAt: Date; validUntil: Date }> {
    checkOneProof(proof);
    const now = this.deps.clock.now();
    if (!(await this.hasFactor(viewer.userId))) throw badUserInput('code', 'you have no second factor yet: enrol one first');
    if (await this.deps.counters.lockedUntil(accountKey(viewer.userId), now)) throw await this.lockRefusal(viewer.userId, now);
    const expected = proof.passkey ? await this.deps.factors.takeCeremony(viewer.userId, 'reauthenticate', now) : null;
    if (!(await this.check(viewer.userId, proof, now, expected))) throw await this.countWrongCode(viewer.userId, now);
    await this.deps.sessions.markSecondFactor(viewer.sessionId, now);
    return { verifiedAt: now, validUntil: new Date(now.getTime() + STEP_UP_WINDOW_MS) };
  }

  async hasFactor(userId: string): Promise<boolean> {
    return (await this.methodsOf(userId)).length > 0;
  }

  private async check(userId: string, proof: SecondFactorProof, now: Date, expectedPasskeyChallenge: string | null): Promise<boolean> {
    if (proof.passkey) return proof.passkey(userId, expectedPasskeyChallenge);
    if (proof.recoveryCode) {
      if (!isRecoveryCodeShaped(proof.recoveryCode)) return false;
      return this.deps.factors.spendRecoveryCode(this.deps.db, userId, this.deps.keys.hashRecoveryCode(proof.recoveryCode), now);
    }
    const factor = await this.deps.factors.findFactor(userId);
    if (!factor?.totpSecret || !factor.totpConfirmedAt) return false;
    const step = this.matchingStep(factor.totpSecret, userId, proof.code ?? '', now);
    return step !== null && this.deps.factors.claimTotpStep(this.deps.db, userId, step, null);
  }

  /** The RFC 6238 time-step the code belongs to (within the window), or null. */
  private matchingStep(encryptedSecret: string, userId: string, code: string, now: Date): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const totp = this.totpFor(this.deps.keys.decrypt(encryptedSecret, userId), userId);
    const delta = totp.validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
    if (delta === null) return null;
    return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  }

  private totpFor(base32Secret: string, label: string): TOTP {
    return new TOTP({ issuer: this.deps.issuer, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(base32Secret) });
  }

  private async countWrongCode(userId: string, now: Date): Promise<AppError> {
    const admitted = await this.deps.counters.recordFailure(accountKey(userId), now);
    return admitted ? wrongCode() : this.lockRefusal(userId, now);
  }

  private async lockRefusal(userId: string, now: Date): Promise<AppError> {
    const lockedUntil = await this.deps.counters.lockedUntil(accountKey(userId), now);
    return rateLimited(lockedUntil ? (lockedUntil.getTime() - now.getTime()) / 1000 : 1);
  }

  /** A new secret for the authenticator app; it works only once confirmed by a first code. */
  async beginTotpEnrolment(viewer: Viewer): Promise<{ secret: string; uri: string }> {
    // A further factor needs the one already there: a stolen session must not plant its own.
    if (await this.hasFactor(viewer.userId)) requireRecentSecondFactor(viewer, this.deps.clock.now());
    const user = await this.deps.users.findUserById(viewer.userId);
    if (!user) throw unauthenticated('session has ended');
    const secret = new Secret({ size: 20 }).base32;
    if (!(await this.deps.factors.savePendingTotp(user.id, this.deps.keys.encrypt(secret, user.id)))) {
      throw conflict('an authenticator app is already enrolled: an admin can reset it');
    }
    const label = user.email ?? user.phone ?? user.name;
    return { secret, uri: this.totpFor(secret, label).toString() };
  }

  /** Confirms the pending secret with a first code; answers the ten recovery codes, shown only now. */
  async confirmTotpEnrolment(viewer: Viewer, code: string): Promise<string[]> {
    const now = this.deps.clock.now();
    if (!/^\d{6}$/.test(code)) throw badUserInput('code', 'must be the 6 digits the authenticator app shows');
    const factor = await this.deps.factors.findFactor(viewer.userId);
    if (!factor?.totpSecret) throw badUserInput('code', 'no enrolment in progress: call beginTotpEnrolment first');
    if (factor.totpConfirmedAt) throw conflict('an authenticator app is already enrolled: an admin can reset it');
    const step = this.matchingStep(factor.totpSecret, viewer.userId, code, now);
    if (step === null) throw badUserInput('code', "does not match: check the app's clock and type the current code");
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const passkeys = (await this.deps.factors.passkeysOf(viewer.userId)).length;
    await this.deps.db.$transaction(async (tx) => {
      if (!(await this.deps.factors.claimTotpStep(tx, viewer.userId, step, now))) throw conflict('this enrolment was just confirmed or replaced');
      await this.deps.factors.replaceRecoveryCodes(
        tx,
        viewer.userId,
        codes.map((one) => this.deps.keys.hashRecoveryCode(one)),
        now,
      );
      await this.deps.sessions.markSecondFactor(viewer.sessionId, now, tx);
      await recordSecondFactorAudit(tx, {
        actorId: viewer.userId,
        targetUserId: viewer.userId,
        action: 'second-factor.totp-enrolled',
        before: { authenticatorApp: false, passkeys },
        after: { authenticatorApp: true, passkeys, spareCodesLeft: RECOVERY_CODE_COUNT },
        at: now,
      });
    });
    return codes;
  }

  async status(viewer: Viewer, roles: readonly string[]) {
    const factor = await this.deps.factors.findFactor(viewer.userId);
    const passkeys = await this.deps.factors.passkeysOf(viewer.userId);
    return {
      required: this.isRequiredFor(roles),
      totpEnrolled: Boolean(factor?.totpConfirmedAt),
      passkeys: passkeys.map((passkey) => ({ id: passkey.id, name: passkey.name, createdAt: passkey.createdAt, lastUsedAt: passkey.lastUsedAt })),
      recoveryCodesLeft: factor?.totpConfirmedAt ? await this.deps.factors.countRecoveryCodesLeft(viewer.userId) : 0,
      verifiedAt: viewer.secondFactorAt ?? null,
      pending: viewer.secondFactorPending ?? null,
    };
  }

  /** An admin removes another user's factors (lost phone): that user's sessions end, the next sign-in enrols. */
  async reset(viewer: Viewer, userId: string): Promise<boolean> {
    const now = this.deps.clock.now();
    requireRecentSecondFactor(viewer, now);
    if (userId === viewer.userId) throw badUserInput('userId', 'you cannot reset your own second factor: ask another admin');
    const user = await this.deps.users.findUserById(userId);
    if (!user) throw notFound('user');
    const before = await this.describe(userId);
    await this.deps.db.$transaction(async (tx) => {
      await this.deps.factors.removeEverything(tx, userId, now);
      await this.deps.sessions.revokeAll(userId, now, 'second-factor-reset', { db: tx });
      await recordSecondFactorAudit(tx, {
        actorId: viewer.userId,
        targetUserId: userId,
        action: 'second-factor.reset',
        before,
        after: { authenticatorApp: false, passkeys: 0, spareCodesLeft: 0 },
        at: now,
      });
    });
    return true;
  }

  private async describe(userId: string) {
    const factor = await this.deps.factors.findFactor(userId);
    return {
      authenticatorApp: Boolean(factor?.totpConfirmedAt),
      passkeys: (await this.deps.factors.passkeysOf(userId)).length,
      spareCodesLeft: factor?.totpConfirmedAt ? await this.deps.factors.countRecoveryCodesLeft(userId) : 0,
    };
  }
}

function checkOneProof(proof: SecondFactorProof): void {
  const given = [proof.code, proof.recoveryCode].filter((value) => value !== undefined && value !== null && value !== '').length + (proof.passkey ? 1 : 0);
  if (given !== 1) throw badUserInput('code', 'give exactly one of code and recoveryCode');
}
