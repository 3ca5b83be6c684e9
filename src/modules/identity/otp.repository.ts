// The only caller for OtpChallenge, the one-time codes sent by SMS, but for the server's metrics
// (src/server/metrics.repository.ts counts the codes made in a period).
import type { Database, DatabaseClient } from '../../db/client.js';

export class OtpRepository {
  constructor(private readonly db: Database) {}

  /** Serialises code requests for one phone across instances, until the transaction ends. */
  async lockPhone(tx: DatabaseClient, phone: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`otp:${phone}`}))`;
  }

  /** When the phone's sign-in codes since `since` were made, newest first. */
  loginCodesSince(db: DatabaseClient, phone: string, since: Date): Promise<{ createdAt: Date }[]> {
    return db.otpChallenge.findMany({
      where: { phone, purpose: 'LOGIN', createdAt: { gt: since } },
      orderBy: { createdAt: 'desc' },
      select: { createdAt: true },
    });
  }

  createLoginCode(tx: DatabaseClient, data: { phone: string; codeHmac: string; expiresAt: Date; createdAt: Date }) {
    return tx.otpChallenge.create({
      data: { phone: data.phone, purpose: 'LOGIN', codeHmac: data.codeHmac, expiresAt: data.expiresAt, createdAt: data.createdAt },
    });
  }

  /** The phone's newest sign-in code, spent or not. */
  latestLoginCode(phone: string) {
    return this.db.otpChallenge.findFirst({
      where: { phone, purpose: 'LOGIN' },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** Claims one try before the comparison: concurrent guesses beyond the last allowed find nothing to claim. */
  async claimTry(id: string, maxTries: number, now: Date): Promise<boolean> {
    const claimed = await this.db.otpChallenge.updateMany({
      where: { id, attempts: { lt: maxTries }, consumedAt: null, expiresAt: { gt: now } },
      data: { attempts: { increment: 1 } },
    });
    return claimed.count > 0;
  }

  /** Spends the code once; false when it was already spent. */
  async consume(id: string, now: Date): Promise<boolean> {
    const consumed = await this.db.otpChallenge.updateMany({
      where: { id, consumedAt: null },
      data: { consumedAt: now },
    });
    return consumed.count > 0;
  }
}
