// The only Prisma caller of the idempotency module.
import type { Database, DatabaseClient } from '../../db/client.js';

export interface IdempotencyKeyRow {
  scope: string;
  key: string;
  operation: string;
  fingerprint: string;
  resultId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  find(scope: string, key: string): Promise<IdempotencyKeyRow | null> {
    return this.db.idempotencyKey.findUnique({ where: { scope_key: { scope, key } } });
  }

  /** Removes the caller's expired keys, so that an expired key can be used afresh and the table stays small. */
  async deleteExpiredOf(scope: string, now: Date): Promise<void> {
    await this.db.idempotencyKey.deleteMany({ where: { scope, expiresAt: { lte: now } } });
  }

  /** Every expired key (the nightly sweep); how many were removed. */
  async deleteExpired(now: Date): Promise<number> {
    return (await this.db.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }

  /**
   * Inserts the key unless it exists; false when it does. On PostgreSQL an insert that meets another
   * transaction's uncommitted row of the same key waits for that transaction to end, so a duplicate sent
   * while the first is running sees its committed key (or, when the first rolled back, takes the key).
   */
  async claim(db: DatabaseClient, row: IdempotencyKeyRow): Promise<boolean> {
    const { count } = await db.idempotencyKey.createMany({ data: [row], skipDuplicates: true });
    return count === 1;
  }

  async complete(db: DatabaseClient, scope: string, key: string, resultId: string): Promise<void> {
    await db.idempotencyKey.update({ where: { scope_key: { scope, key } }, data: { resultId } });
  }
}
