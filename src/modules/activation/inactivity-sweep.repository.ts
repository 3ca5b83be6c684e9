// The set-based SQL of the inactivity sweep (SPEC §4): customers in ONBOARDED/ACTIVE whose last order is
// more than 30 days before the sweep's as-of time become INACTIVE, each with its ActivationEvent and its
// REENGAGEMENT message, in the caller's transaction.
import type { DatabaseClient } from '../../db/client.js';
import type { ActivationStatus } from '../../generated/prisma/enums.js';
import { DAY_MS } from '../../shared/time.js';
import { customerAddress, enqueueMessages, type NewMessage } from '../messages/index.js';

export const CHURN_AFTER_MS = 30 * DAY_MS;

interface ChurnedRow {
  id: string;
  fromStatus: ActivationStatus;
  name: string;
  phone: string | null;
  email: string | null;
  lastActivityAt: Date;
  churnedAt: Date;
}

/**
 * Moves one batch and returns how many customers it moved. Rows another transaction holds (an order
 * being placed right now) are skipped: that customer is not inactive, or the next sweep sees it.
 * The dedupe keys name the churn episode (customer + last order), so a replayed sweep queues nothing,
 * and a customer who comes back and drifts away again gets a new message.
 */
export async function markInactiveBatch(db: DatabaseClient, cutoff: Date, now: Date, batchSize: number): Promise<number> {
  const rows = await db.$queryRaw<ChurnedRow[]>`
    WITH due AS (
      SELECT "id", "activationStatus" AS "fromStatus",
        COALESCE("lastOrderAt", "firstOrderAt", "signupAt") AS "lastActivityAt"
      FROM "Customer"
      WHERE "activationStatus" IN ('ONBOARDED', 'ACTIVE')
        AND "archivedAt" IS NULL AND "mergedIntoId" IS NULL
        AND COALESCE("lastOrderAt", "firstOrderAt", "signupAt") < ${cutoff}
      ORDER BY "id"
      LIMIT ${batchSize}
      FOR NO KEY UPDATE SKIP LOCKED
    )
    UPDATE "Customer" AS customer
    SET "activationStatus" = 'INACTIVE',
        "churnedAt" = due."lastActivityAt" + interval '720 hours',
        "updatedAt" = ${now}
    FROM due
    WHERE customer."id" = due."id"
    RETURNING customer."id", due."fromStatus"::text AS "fromStatus", customer."name", customer."phone",
      customer."email", due."lastActivityAt", customer."churnedAt"`;
  if (rows.length === 0) return 0;
  const episode = (row: ChurnedRow) => `${row.id}:${new Date(row.lastActivityAt).toISOString()}`;
  await db.activationEvent.createMany({
    data: rows.map((row) => ({
      customerId: row.id,
      fromStatus: row.fromStatus,
      toStatus: 'INACTIVE' as const,
      at: new Date(row.churnedAt),
      reason: 'no-order-30-days',
      dedupeKey: `inactive:${episode(row)}`,
    })),
    skipDuplicates: true,
  });
  const messages: NewMessage[] = [];
  for (const row of rows) {
    const address = customerAddress(row);
    if (!address) continue;
    messages.push({
      dedupeKey: `reengagement:${episode(row)}`,
      ...address,
      template: 'REENGAGEMENT',
      variables: { name: row.name },
      customerId: row.id,
      at: now,
    });
  }
  await enqueueMessages(db, messages);
  return rows.length;
}

/** Takes the sweep's transaction-scoped advisory lock; false when another instance holds it. */
export async function trySweepLock(db: DatabaseClient, name: string): Promise<boolean> {
  const [lock] = await db.$queryRaw<{ acquired: boolean }[]>`
    SELECT pg_try_advisory_xact_lock(hashtext(${name})) AS "acquired"`;
  return lock?.acquired === true;
}
