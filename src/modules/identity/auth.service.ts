// Sign-in flows of SPEC §2. Rules: unknown identifiers and wrong passwords are indistinguishable (same
// error, a dummy hash compared); every login/OTP/reset/registration attempt counts against the client IP;
// password failures count against the account (email and phone together), which bounds the passwords
// compared, and against the identifier typed, whose own count alone decides RATE_LIMITED, so that an
// answer never tells whether an email and a phone are one account (docs/authentication.md); a lock does
// not stop OTP or password reset; secrets leave only through the message outbox.
import type { Viewer } from '../../auth/viewer.js';
import type { Database, DatabaseClient } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/clock.js';
import type { IdempotencyGuard } from '../idempotency/index.js';
import { AppError, badUserInput, conflict, ErrorCode, rateLimited, unauthenticated } from '../../shared/errors.js';
import { parseIdentifier, requireEmail, requirePhone } from '../../shared/identifiers.js';
import { requireDisplayText } from '../../shared/text.js';
import { formatIstDateTime } from '../../shared/time.js';
import { recordSignup } from '../activation/index.js';
import { enqueueMessage } from '../messages/index.js';
import type { AccessTokens } from './access-token.js';
import type { AttemptCounters } from './attempt-counters.js';
import { accountKey, identifierKey, ipKey, passwordKeysOf } from './identity.keys.js';
import type { IdentityRepository } from './identity.repository.js';
import type { PasswordHasher } from './password.hasher.js';
import { checkPasswordPolicy } from './password.policy.js';
import { recordAudit } from '../audit/index.js';
import type { SecondFactorProof, SecondFactorService } from './second-factor.service.js';
import { hashToken, newOpaqueToken, sessionDevice, type SessionMetadata, type SessionService } from './session.service.js';

export const PASSWORD_RESET_LIFETIME_MS = 30 * 60 * 1000;
/** Reset messages to one account in any hour, like OTP codes to one phone; beyond it none is queued. */
export const PASSWORD_RESETS_PER_HOUR = 5;
/** Wait before the second attempt at work started after an answer (a reset message) whose first attempt failed. */
const AFTER_ANSWER_RETRY_MS = 250;

export interface AuthDependencies {
  db: Database;
  clock: Clock;
  tokens: AccessTokens;
  counters: AttemptCounters;
  hasher: PasswordHasher;
  sessions: SessionService;
  users: IdentityRepository;
  secondFactor: SecondFactorService;
  log: Logger;
}

export interface RegisterInput {
  name: string;
  password: string;
  email?: string | null;
  phone?: string | null;
}

type UserRow = NonNullable<Awaited<ReturnType<IdentityRepository['findUserById']>>>;

export interface AuthResult {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: UserRow;
  /** The signed-in user as a viewer: the payload's fields are judged for it (auth/viewer.ts). */
  viewer: Viewer;
}

/** The NEW_SIGN_IN notice (SPEC §7 outbox) to the account's email, else its phone; once per session. */
async function queueNewSignIn(tx: DatabaseClient, user: UserRow, device: string, sessionId: string, now: Date): Promise<void> {
  const to = user.email ?? user.phone;
  if (!to) return;
  await enqueueMessage(tx, {
    dedupeKey: `new-sign-in:${sessionId}`,
    to,
    channel: user.email ? 'EMAIL' : 'SMS',
    template: 'NEW_SIGN_IN',
    variables: { device, at: formatIstDateTime(now) },
    userId: user.id,
    at: now,
  });
}

const invalidCredentials = () => new AppError(ErrorCode.INVALID_CREDENTIALS, 'invalid credentials');

/** A person's or business's name: the display-text rules every name shown to staff follows. */
export function checkName(field: string, name: string): string {
  return requireDisplayText(field, name, 100);
}

export class AuthService {
  constructor(private readonly deps: AuthDependencies) {}

  /** Counts one login/OTP/reset/registration attempt against the client IP (SPEC §2 throttling). */
  async throttle(clientIp: string): Promise<void> {
    const result = await this.deps.counters.hit(ipKey(clientIp), this.deps.clock.now());
    if (!result.allowed) throw rateLimited(result.retryAfterSeconds);
  }

  /**
   * Every sign-in ends here (password, OTP, registration, a second factor): the session with its device,
   * in one transaction with what the sign-in causes. A device the user has not signed in from before
   * queues a NEW_SIGN_IN message, unless it is the account's first session (nothing to compare with, and
   * a registration is its owner at work); a staff member's sign-in is audited. `secondFactorAt`: when the
   * new session proved a second factor.
   */
  async issueSession(user: UserRow, metadata: SessionMetadata, secondFactorAt: Date | null = null): Promise<AuthResult> {
    const now = this.deps.clock.now();
    const device = sessionDevice(user.id, metadata);
    const session = await this.deps.db.$transaction(async (tx) => {
      const history = await this.deps.sessions.deviceHistory(tx, user.id, device.key);
      const opened = await this.deps.sessions.open(tx, user.id, now, metadata, device, secondFactorAt);
      if (history.hasSessions && !history.isKnownDevice) await queueNewSignIn(tx, user, device.label, opened.sessionId, now);
      if (user.roles.some((role) => role !== 'CUSTOMER')) {
        await recordAudit(tx, {
          actorId: user.id,
          targetUserId: user.id,
          action: 'session.sign-in',
          subject: { type: 'Session', id: opened.sessionId },
          before: null,
          after: { device: device.label, ipAddress: metadata.clientIp.slice(0, 64), newDevice: !history.isKnownDevice },
          at: now,
        });
      }
      return opened;
    });
    return this.issueTokens(user, session);
  }

  /** Access and refresh tokens for a session that exists (just opened, or rotated by a refresh). */
  private async issueTokens(user: UserRow, session: { sessionId: string; refreshToken: string }): Promise<AuthResult> {
    const now = this.deps.clock.now();
    const access = await this.deps.tokens.sign({ userId: user.id, sessionId: session.sessionId }, now);
    const viewer = await this.deps.sessions.loadViewer(user.id, session.sessionId, now);
    if (!viewer) throw unauthenticated('session has ended');
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: session.refreshToken,
      user,
      viewer,
    };
  }

  /**
   * A proved password or phone: the session, unless the user has a second factor, whose challenge is the
   * answer instead (SECOND_FACTOR_REQUIRED). A user of a required role without one gets a session that
   * can only enrol (auth/second-factor.ts).
   */
  async completeSignIn(user: UserRow, metadata: SessionMetadata, challenged?: boolean): Promise<AuthResult> {
    if (challenged ?? (await this.deps.secondFactor.needsChallenge(user))) return this.deps.secondFactor.challenge(user);
    return this.issueSession(user, metadata);
  }

  /** The second step of a challenged sign-in. */
  async verifySecondFactor(challenge: string, proof: SecondFactorProof, metadata: SessionMetadata): Promise<AuthResult> {
    await this.throttle(metadata.clientIp);
    const user = await this.deps.secondFactor.prove(challenge, proof);
    return this.issueSession(user, metadata, this.deps.clock.now());
  }

  async register(input: RegisterInput, metadata: SessionMetadata, guard?: IdempotencyGuard): Promise<AuthResult> {
    // Before anything else: each registration costs a bcrypt hash, and each CONFLICT names a registered
    // phone or email, so an address gets the same 30 attempts in 10 minutes as for signing in.
    await this.throttle(metadata.clientIp);
    const name = checkName('input.name', input.name);
    const email = input.email ? requireEmail('input.email', input.email) : null;
    const phone = input.phone ? requirePhone('input.phone', input.phone) : null;
    if (!email && !phone) throw badUserInput('input', 'give an email or a phone');
    checkPasswordPolicy('input.password', input.password, { email, phone });
    const alreadyRegistered = () => conflict('already registered: sign in with OTP');
    if (await this.deps.users.isContactTaken({ email, phone })) throw alreadyRegistered();
    const password = await this.deps.hasher.hash(input.password);
    const now = this.deps.clock.now();
    try {
      const user = await this.deps.db.$transaction(async (tx) => {
        await guard?.claim(tx);
        const created = await this.deps.users.createUserWithCustomer(
          tx,
          { name, email, phone, roles: ['CUSTOMER'], passwordHash: password.hash, passwordScheme: 'BCRYPT_SHA256', customer: {} },
          now,
        );
        await recordSignup(tx, created.customer!, now, 'register');
        await guard?.complete(tx, created.id);
        return created;
      });
      const { customer: _customer, ...userRow } = user;
      return this.issueSession(userRow, metadata);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyRegistered();
      throw error;
    }
  }

  /**
   * A retried register (same key, same input, password included): the user it created, in a new session.
   * The first session's refresh token is stored only hashed, so it cannot be answered again; the retry
   * counts as an attempt from the client like the register it repeats.
   */
  async registeredAgain(userId: string, metadata: SessionMetadata): Promise<AuthResult> {
    await this.throttle(metadata.clientIp);
    const user = await this.deps.users.findUserById(userId);
    if (!user || user.status !== 'ACTIVE') throw conflict('the account this key registered can no longer sign in this way: sign in with OTP');
    return this.completeSignIn(user, metadata);
  }

  async login(identifierText: string, password: string, metadata: SessionMetadata): Promise<AuthResult> {
    await this.throttle(metadata.clientIp);
    const now = this.deps.clock.now();
    const identifier = parseIdentifier(identifierText);
    const user = identifier ? await this.deps.users.findUserByIdentifier(identifier) : null;
    // The identifier's own count answers RATE_LIMITED; the account's bounds what is compared. While the
    // account is locked (through its other identifier, say) a guess answers INVALID_CREDENTIALS without
    // being compared, as a wrong password on an identifier of another account would.
    await this.admitPasswordAttempt(identifierKey(identifier?.value ?? identifierText.trim().toLowerCase().slice(0, 200)), now);
    const accountAdmitted = user ? await this.deps.counters.recordFailure(accountKey(user.id), now) : false;
    if (!user || !accountAdmitted || !user.passwordHash || !user.passwordScheme) {
      await this.deps.hasher.verifyDummy(password);
      throw invalidCredentials();
    }
    const check = await this.deps.hasher.verify(password, { hash: user.passwordHash, scheme: user.passwordScheme });
    if (!check.valid) throw invalidCredentials();
    // A disabled or archived account answers like a wrong password: nothing is revealed about it.
    if (user.status !== 'ACTIVE') throw invalidCredentials();
    // With a second factor to come, the account's count stays until that is proved too: otherwise each
    // correct password would wipe the wrong codes before it, and the codes could be guessed for ever.
    const challenged = await this.deps.secondFactor.needsChallenge(user);
    await this.deps.counters.reset(...passwordKeysOf(user).filter((key) => !challenged || key !== accountKey(user.id)));
    if (check.needsRehash) {
      const rehashed = await this.deps.hasher.hash(password);
      await this.deps.users.updatePassword(this.deps.db, user.id, rehashed.hash, 'BCRYPT_SHA256');
    }
    return this.completeSignIn(user, metadata, challenged);
  }

  /**
   * Counts the attempt as a failure before the password is checked (a success resets the count), so that
   * at most 10 guesses are ever checked, however many arrive at once; refused while the key is locked.
   */
  private async admitPasswordAttempt(key: string, now: Date): Promise<void> {
    const refuse = async () => {
      const lockedUntil = await this.deps.counters.lockedUntil(key, now);
      return rateLimited(lockedUntil ? (lockedUntil.getTime() - now.getTime()) / 1000 : 1);
    };
    if (await this.deps.counters.lockedUntil(key, now)) throw await refuse();
    if (!(await this.deps.counters.recordFailure(key, now))) throw await refuse();
  }

  async refresh(refreshToken: string): Promise<AuthResult> {
    const rotated = await this.deps.sessions.rotate(refreshToken, this.deps.clock.now());
    const user = await this.deps.users.findUserById(rotated.userId);
    if (!user || user.status !== 'ACTIVE') throw unauthenticated('session has ended');
    return this.issueTokens(user, rotated);
  }

  async logout(viewer: Viewer, refreshToken: string): Promise<boolean> {
    return this.deps.sessions.revokeByRefreshToken(refreshToken, viewer.userId, this.deps.clock.now());
  }

  /** Ends every session of the viewer but the one making the request; the number ended. */
  async logoutOthers(viewer: Viewer): Promise<number> {
    return this.deps.sessions.revokeAll(viewer.userId, this.deps.clock.now(), 'logout-others', { except: viewer.sessionId });
  }

  async logoutAll(viewer: Viewer): Promise<boolean> {
    await this.deps.sessions.revokeAll(viewer.userId, this.deps.clock.now(), 'logout-all');
    return true;
  }

  async changePassword(viewer: Viewer, currentPassword: string, newPassword: string): Promise<boolean> {
    const user = await this.deps.users.findUserById(viewer.userId);
    if (!user?.passwordHash || !user.passwordScheme) throw invalidCredentials();
    // The current password is guessed against the same account lockout as login: a stolen access token
    // must not become an unlimited password oracle.
    const key = accountKey(user.id);
    await this.admitPasswordAttempt(key, this.deps.clock.now());
    const check = await this.deps.hasher.verify(currentPassword, { hash: user.passwordHash, scheme: user.passwordScheme });
    if (!check.valid) throw invalidCredentials();
    await this.deps.counters.reset(key);
    checkPasswordPolicy('newPassword', newPassword, user);
    const password = await this.deps.hasher.hash(newPassword);
    const now = this.deps.clock.now();
    await this.deps.db.$transaction(async (tx) => {
      await this.deps.users.updatePassword(tx, user.id, password.hash, 'BCRYPT_SHA256');
      // A reset link asked for before the change must not undo it.
      await this.deps.users.endPasswordResetTokens(tx, user.id, now);
      await this.deps.sessions.revokeAll(user.id, now, 'password-changed', { except: viewer.sessionId, db: tx });
    });
    return true;
  }

  /**
   * Always true: the answer says nothing about whether the identifier exists, not even by its timing. The
   * message is queued after the answer, so an unknown identifier and a known one answer after the same
   * work (the throttle).
   */
  async requestPasswordReset(identifierText: string, clientIp: string): Promise<boolean> {
    await this.throttle(clientIp);
    this.runAfterAnswer(() => this.queuePasswordReset(identifierText));
    return true;
  }

  /** Work started after an answer: the reset messages. Awaited at shutdown (and by tests). */
  private readonly afterAnswer = new Set<Promise<void>>();

  /** Resolves once the work started after earlier answers is done. */
  async settled(): Promise<void> {
    while (this.afterAnswer.size > 0) await Promise.all(this.afterAnswer);
  }

  private runAfterAnswer(task: () => Promise<void>): void {
    // setImmediate: the rest of the request (Apollo's answer, the write to the socket) is promise work,
    // which runs first, so the answer leaves before the task begins (embedded PGlite runs on this thread).
    const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      // Nothing of a failed attempt is kept (it is one transaction): a transient failure (a busy pool, a
      // restarting database) gets a second attempt, since the caller has already been told it is on its way.
      .catch(() => new Promise<void>((resolve) => setTimeout(resolve, AFTER_ANSWER_RETRY_MS)).then(task))
      // Only the failure's kind: a database error may quote the token it was writing.
      .catch((error: unknown) => this.deps.log.error({ reason: (error as Error)?.name }, 'password reset message not queued'))
      .finally(() => this.afterAnswer.delete(running));
    this.afterAnswer.add(running);
  }

  private async queuePasswordReset(identifierText: string): Promise<void> {
    const identifier = parseIdentifier(identifierText);
    const user = identifier ? await this.deps.users.findUserByIdentifier(identifier) : null;
    if (!user || user.status !== 'ACTIVE' || (!user.email && !user.phone)) return;
    const token = newOpaqueToken();
    const now = this.deps.clock.now();
    await this.deps.db.$transaction(async (tx) => {
      // Serialises requests for one account across instances, so the hourly cap holds.
      await this.deps.users.lockPasswordResetsOf(tx, user.id);
      const hourAgo = new Date(now.getTime() - 60 * 60 * 1000);
      if ((await this.deps.users.countPasswordResetTokensSince(tx, user.id, hourAgo)) >= PASSWORD_RESETS_PER_HOUR) return;
      const expiresAt = new Date(now.getTime() + PASSWORD_RESET_LIFETIME_MS);
      const stored = await this.deps.users.createPasswordResetToken(tx, { userId: user.id, tokenHash: hashToken(token), expiresAt, createdAt: now });
      await enqueueMessage(tx, {
        dedupeKey: `password-reset:${stored.id}`,
        to: user.email ?? user.phone!,
        channel: user.email ? 'EMAIL' : 'SMS',
        template: 'PASSWORD_RESET',
        variables: { token },
        userId: user.id,
        at: now,
        expiresAt,
      });
    });
  }

  async resetPassword(token: string, newPassword: string, clientIp: string): Promise<boolean> {
    await this.throttle(clientIp);
    const now = this.deps.clock.now();
    const invalidToken = () => badUserInput('token', 'is invalid or has expired');
    const stored = await this.deps.users.findPasswordResetToken(hashToken(token));
    if (!stored || stored.usedAt || stored.expiresAt <= now || stored.user.status !== 'ACTIVE') throw invalidToken();
    checkPasswordPolicy('newPassword', newPassword, stored.user);
    const password = await this.deps.hasher.hash(newPassword);
    await this.deps.db.$transaction(async (tx) => {
      if (!(await this.deps.users.consumePasswordResetToken(tx, stored.id, now))) throw invalidToken();
      await this.deps.users.updatePassword(tx, stored.userId, password.hash, 'BCRYPT_SHA256');
      await this.deps.users.endPasswordResetTokens(tx, stored.userId, now);
      await this.deps.sessions.revokeAll(stored.userId, now, 'password-reset', { db: tx });
    });
    // Proving the mailbox or phone ends a lockout: the new password works at once.
    await this.deps.counters.reset(...passwordKeysOf(stored.user));
    return true;
  }
}
