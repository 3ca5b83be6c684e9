// The only caller for the second-factor tables RecoveryCode and SecondFactorChallenge, and the only writer
// of SecondFactor and Passkey: the session check (session.repository.ts) also reads whether the user has a
// confirmed SecondFactor or a Passkey, in the statement it makes anyway.
import type { Database, DatabaseClient } from '../../db/client.js';

export class SecondFactorRepository {
  constructor(private readonly db: Database) {}

  /** A confirmed TOTP or a passkey, in one statement (every password sign-in asks). */
  async hasAnyFactor(userId: string): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ present: boolean }[]>`
      SELECT (EXISTS (SELECT 1 FROM "SecondFactor" WHERE "userId" = ${userId}::uuid AND "totpConfirmedAt" IS NOT NULL)
        OR EXISTS (SELECT 1 FROM "Passkey" WHERE "userId" = ${userId}::uuid)) AS "present"`;
    return rows[0]?.present === true;
  }

  findFactor(userId: string, db: DatabaseClient = this.db) {
    return db.secondFactor.findUnique({ where: { userId } });
  }

  /** A new pending secret replaces any pending one; a confirmed TOTP is never replaced here. */
  async savePendingTotp(userId: string, encryptedSecret: string): Promise<boolean> {
    const existing = await this.db.secondFactor.findUnique({ where: { userId }, select: { totpConfirmedAt: true } });
    if (existing?.totpConfirmedAt) return false;
    await this.db.secondFactor.upsert({
      where: { userId },
      create: { userId, totpSecret: encryptedSecret },
      update: { totpSecret: encryptedSecret, totpLastStep: null },
    });
    return true;
  }

  /**
   * Accepts a TOTP time-step once: the row moves to `step` only from an earlier one, so a code replayed
   * (or raced) within its window finds nothing to claim.
   */
  async claimTotpStep(db: DatabaseClient, userId: string, step: number, confirm: Date | null): Promise<boolean> {
    const claimed = await db.secondFactor.updateMany({
      where: {
        userId,
        totpSecret: { not: null },
        totpConfirmedAt: confirm ? null : { not: null },
        OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }],
      },
      data: { totpLastStep: step, ...(confirm ? { totpConfirmedAt: confirm } : {}) },
    });
    return claimed.count === 1;
  }

  async replaceRecoveryCodes(db: DatabaseClient, userId: string, hashes: string[], now: Date): Promise<void> {
    await db.recoveryCode.deleteMany({ where: { userId } });
    await db.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash, createdAt: now })) });
  }

  /** Spends a recovery code once; false when it is not the user's or already used. */
  async spendRecoveryCode(db: DatabaseClient, userId: string, codeHash: string, now: Date): Promise<boolean> {
    const spent = await db.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: now } });
    return spent.count === 1;
  }

  countRecoveryCodesLeft(userId: string) {
    return this.db.recoveryCode.count({ where: { userId, usedAt: null } });
  }

  createChallenge(userId: string, now: Date, expiresAt: Date) {
    return this.db.secondFactorChallenge.create({ data: { userId, createdAt: now, expiresAt }, select: { id: true } });
  }

  findChallenge(id: string) {
    return this.db.secondFactorChallenge.findUnique({ where: { id } });
  }

  /** Claims one try before the comparison: concurrent guesses beyond the last allowed find nothing to claim. */
  async claimChallengeTry(id: string, maxTries: number, now: Date): Promise<boolean> {
    const claimed = await this.db.secondFactorChallenge.updateMany({
      where: { id, completedAt: null, expiresAt: { gt: now }, failedAttempts: { lt: maxTries } },
      data: { failedAttempts: { increment: 1 } },
    });
    return claimed.count === 1;
  }

  async completeChallenge(id: string, now: Date): Promise<boolean> {
    const completed = await this.db.secondFactorChallenge.updateMany({ where: { id, completedAt: null }, data: { completedAt: now } });
    return completed.count === 1;
  }

  setChallengePasskeyChallenge(id: string, challenge: string) {
    return this.db.secondFactorChallenge.update({ where: { id }, data: { passkeyChallenge: challenge } });
  }

  /** Everything a reset removes; the counts are what the audit entry says was there. */
  async removeEverything(db: DatabaseClient, userId: string, now: Date) {
    const factor = await db.secondFactor.deleteMany({ where: { userId } });
    const codes = await db.recoveryCode.deleteMany({ where: { userId } });
    const passkeys = await db.passkey.deleteMany({ where: { userId } });
    await db.secondFactorChallenge.updateMany({ where: { userId, completedAt: null }, data: { completedAt: now } });
    return { factor: factor.count, recoveryCodes: codes.count, passkeys: passkeys.count };
  }

  passkeysOf(userId: string, db: DatabaseClient = this.db) {
    return db.passkey.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
  }

  findPasskey(credentialId: string) {
    return this.db.passkey.findUnique({ where: { credentialId } });
  }

  createPasskey(
    db: DatabaseClient,
    data: { userId: string; credentialId: string; publicKey: Uint8Array; counter: number; transports: string[]; name: string; createdAt: Date },
  ) {
    return db.passkey.create({ data: { ...data, publicKey: Buffer.from(data.publicKey), counter: BigInt(data.counter) } });
  }

  /** Moves the signature counter forward only (a cloned authenticator shows an old one). */
  async usePasskey(id: string, counter: number, now: Date): Promise<boolean> {
    const used = await this.db.passkey.updateMany({
      where: { id, ...(counter > 0 ? { counter: { lt: BigInt(counter) } } : {}) },
      data: { counter: BigInt(counter), lastUsedAt: now },
    });
    return used.count === 1;
  }

  /** The one passkey ceremony in flight outside a sign-in: registration or reauthenticate. */
  async saveCeremony(userId: string, challenge: string, purpose: 'register' | 'reauthenticate', expiresAt: Date) {
    await this.db.secondFactor.upsert({
      where: { userId },
      create: { userId, webauthnChallenge: challenge, webauthnChallengePurpose: purpose, webauthnChallengeExpiresAt: expiresAt },
      update: { webauthnChallenge: challenge, webauthnChallengePurpose: purpose, webauthnChallengeExpiresAt: expiresAt },
    });
  }

  /** Takes the ceremony's challenge once (null: none of this purpose in force). */
  async takeCeremony(userId: string, purpose: 'register' | 'reauthenticate', now: Date): Promise<string | null> {
    const factor = await this.db.secondFactor.findUnique({ where: { userId } });
    if (
      !factor?.webauthnChallenge ||
      factor.webauthnChallengePurpose !== purpose ||
      !factor.webauthnChallengeExpiresAt ||
      factor.webauthnChallengeExpiresAt <= now
    )
      return null;
    const taken = await this.db.secondFactor.updateMany({
      where: { userId, webauthnChallenge: factor.webauthnChallenge },
      data: { webauthnChallenge: null, webauthnChallengePurpose: null, webauthnChallengeExpiresAt: null },
    });
    return taken.count === 1 ? factor.webauthnChallenge : null;
  }
}
