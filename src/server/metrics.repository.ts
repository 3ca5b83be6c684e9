// The queries /metrics runs at scrape time: small aggregates over indexed columns, never row scans of
// business tables.
import type { Database } from '../db/client.js';

interface OutboxBacklog {
  pending: number;
  failed: number;
  /** Age of the oldest PENDING message, in seconds; 0 when there is none. */
  oldestPendingSeconds: number;
}

export async function readOutboxBacklog(db: Database, now: Date): Promise<OutboxBacklog> {
  const rows = await db.outboxMessage.groupBy({
    by: ['status'],
    where: { status: { in: ['PENDING', 'FAILED'] } },
    _count: { _all: true },
    _min: { createdAt: true },
  });
  const pending = rows.find((row) => row.status === 'PENDING');
  const failed = rows.find((row) => row.status === 'FAILED');
  const oldest = pending?._min.createdAt;
  return {
    pending: pending?._count._all ?? 0,
    failed: failed?._count._all ?? 0,
    oldestPendingSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
  };
}

/**
 * Identifiers (email or phone) whose password login answers RATE_LIMITED right now (the PostgreSQL counter
 * store). An account's own lock is kept beside them and not counted again: one locked login is one lock.
 */
export function countActiveLocks(db: Database, now: Date): Promise<number> {
  return db.loginCounter.count({ where: { key: { startsWith: 'identifier:' }, lockedUntil: { gt: now } } });
}

/** OTP codes issued in [from, to) and how many of them were used to sign in. */
export async function readOtpOutcomes(db: Database, from: Date, to: Date): Promise<{ issued: number; verified: number }> {
  const rows = await db.$queryRaw<{ issued: number; verified: number }[]>`
    SELECT count(*)::int AS "issued", count("consumedAt")::int AS "verified"
    FROM "OtpChallenge" WHERE "createdAt" >= ${from} AND "createdAt" < ${to}`;
  return { issued: Number(rows[0]?.issued ?? 0), verified: Number(rows[0]?.verified ?? 0) };
}

interface DeliveryTally {
  channel: string;
  template: string;
  status: string;
  tries: number;
}

/** Tries a channel accepted since `from`, by channel, template and reported status. */
export async function readDeliveryTallies(db: Database, from: Date): Promise<DeliveryTally[]> {
  const rows = await db.messageAttempt.groupBy({
    by: ['channel', 'template', 'status'],
    where: { createdAt: { gte: from }, status: { not: 'FAILED' } },
    _count: { _all: true },
  });
  return rows.map((row) => ({ channel: row.channel, template: row.template, status: row.status, tries: row._count._all }));
}
