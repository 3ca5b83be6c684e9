// One-time codes by SMS (SPEC §2): 6 digits from a CSPRNG, valid 5 minutes, stored as an HMAC bound to the
// phone and purpose, at most 5 evaluated tries per code (claimed atomically, so 50 guesses at once still
// get 5), single use, resend after 60 s, at most 5 codes per phone per hour. A verified phone with no user
// becomes a new customer; the phone of a customer without a login claims that customer. A request the
// per-phone limits admit then passes the pumping guard (otp.guard.ts) before a code is made.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Database, DatabaseClient } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, ErrorCode, rateLimited } from '../../shared/errors.js';
import { requirePhone } from '../../shared/identifiers.js';
import { recordSignup } from '../activation/index.js';
import { enqueueMessage } from '../messages/index.js';
import type { AuthResult, AuthService } from './auth.service.js';
import type { IdentityRepository } from './identity.repository.js';
import type { OtpPumpingGuard } from './otp.guard.js';
import { OtpRepository } from './otp.repository.js';
import type { SessionMetadata } from './session.service.js';

export const OTP_LIFETIME_MS = 5 * 60 * 1000;
export const OTP_RESEND_MS = 60 * 1000;
export const OTP_MAX_TRIES = 5;
export const OTP_MAX_PER_HOUR = 5;

const invalidCode = () => new AppError(ErrorCode.INVALID_CREDENTIALS, 'invalid or expired code');

export class OtpService {
  private readonly codes: OtpRepository;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly secret: string,
    private readonly auth: AuthService,
    private readonly users: IdentityRepository,
    private readonly guard?: OtpPumpingGuard,
  ) {
    this.codes = new OtpRepository(db);
  }

  /** RATE_LIMITED when the phone's resend or hourly limit refuses a code now. */
  private async checkPhoneLimits(db: DatabaseClient, phone: string, now: Date): Promise<void> {
    const hourAgo = new Date(now.getTime() - 60 * 60 * 1000);
    const recent = await this.codes.loginCodesSince(db, phone, hourAgo);
    const latest = recent[0];
    if (latest && now.getTime() - latest.createdAt.getTime() < OTP_RESEND_MS) {
      throw rateLimited((latest.createdAt.getTime() + OTP_RESEND_MS - now.getTime()) / 1000);
    }
    if (recent.length >= OTP_MAX_PER_HOUR) {
      const oldest = recent[recent.length - 1];
      throw rateLimited((oldest.createdAt.getTime() + 60 * 60 * 1000 - now.getTime()) / 1000);
    }
  }

  private codeHmac(phone: string, code: string): string {
    return createHmac('sha256', this.secret).update(`LOGIN:${phone}:${code}`).digest('hex');
  }

  async request(phoneText: string, clientIp: string): Promise<{ expiresAt: Date; resendAfter: Date }> {
    const phone = requirePhone('phone', phoneText);
    await this.auth.throttle(clientIp);
    const now = this.clock.now();
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    if (this.guard) {
      // Checked first without the lock, so that requests the phone's own limits refuse spend nothing
      // from the guard's budgets; the locked check below is the one that holds across instances.
      await this.checkPhoneLimits(this.db, phone, now);
      await this.guard.admit(phone, now);
    }
    await this.db.$transaction(async (tx) => {
      // Serialises requests for one phone across instances, so the resend and hourly limits hold.
      await this.codes.lockPhone(tx, phone);
      await this.checkPhoneLimits(tx, phone, now);
      const expiresAt = new Date(now.getTime() + OTP_LIFETIME_MS);
      const challenge = await this.codes.createLoginCode(tx, { phone, codeHmac: this.codeHmac(phone, code), expiresAt, createdAt: now });
      await enqueueMessage(tx, {
        dedupeKey: `otp:${challenge.id}`,
        to: phone,
        channel: 'SMS',
        template: 'OTP',
        variables: { code },
        at: now,
        // A code that reaches the phone after it expired is useless: the message is never sent after it.
        expiresAt,
      });
    });
    return { expiresAt: new Date(now.getTime() + OTP_LIFETIME_MS), resendAfter: new Date(now.getTime() + OTP_RESEND_MS) };
  }

  async verify(phoneText: string, code: string, metadata: SessionMetadata): Promise<AuthResult> {
    const phone = requirePhone('phone', phoneText);
    await this.auth.throttle(metadata.clientIp);
    const now = this.clock.now();
    if (!/^\d{6}$/.test(code)) throw invalidCode();
    const challenge = await this.codes.latestLoginCode(phone);
    if (!challenge) throw invalidCode();
    // Claim one try before comparing: concurrent guesses beyond the fifth find nothing to claim.
    if (!(await this.codes.claimTry(challenge.id, OTP_MAX_TRIES, now))) throw invalidCode();
    const expected = Buffer.from(challenge.codeHmac, 'hex');
    const actual = Buffer.from(this.codeHmac(phone, code), 'hex');
    if (!timingSafeEqual(expected, actual)) throw invalidCode();
    if (!(await this.codes.consume(challenge.id, now))) throw invalidCode();
    const user = await this.userForVerifiedPhone(phone, now);
    if (user.status !== 'ACTIVE') throw invalidCode();
    return this.auth.completeSignIn(user, metadata);
  }

  /** The user behind a phone just proven: existing, claimed through its customer record, or new. */
  private async userForVerifiedPhone(phone: string, now: Date) {
    const existing = await this.users.findUserByIdentifier({ kind: 'phone', value: phone });
    if (existing) return existing;
    const customer = await this.users.findCustomerByPhone(phone);
    if (customer) {
      // The customer record was made without a login (imported, or by marketing staff): claim it.
      return this.users.claimCustomerLogin(customer, phone);
    }
    return this.db.$transaction(async (tx) => {
      const created = await this.users.createUserWithCustomer(
        tx,
        { name: `Customer ${phone.slice(-4)}`, email: null, phone, roles: ['CUSTOMER'], customer: {} },
        now,
      );
      await recordSignup(tx, created.customer!, now, 'otp-signup');
      const { customer: _customer, ...user } = created;
      return user;
    });
  }
}
