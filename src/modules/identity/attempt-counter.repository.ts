// The only caller for LoginCounter, the table of the attempt counters kept in PostgreSQL, but for the
// server's metrics (src/server/metrics.repository.ts counts the locked identifiers); attempt-counters.ts
// holds the rules, whose numbers arrive here as arguments. The session check reads an account's lock
// through `lockedUntilColumn`. Each count is one atomic statement (a failure: two, the row made first).
import type { Database } from '../../db/client.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma } from '../../generated/prisma/client.js';

export interface ThrottlePolicy {
  limit: number;
  windowSeconds: number;
}

export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

export class AttemptCounterRepository {
  constructor(private readonly db: Database) {}

  /** Logs one admitted attempt unless `limit` lie in the window: the attempts counted with this one, and the oldest. */
  async hit(key: string, now: Date, policy: ThrottlePolicy): Promise<{ hits: number; oldest: Date }> {
    // One statement, so the row lock of ON CONFLICT serialises concurrent attempts on every instance. SET
    // reads the row as it was: `recent` is its log without the instants that have left the window.
    const recent = Prisma.sql`ARRAY(SELECT at FROM unnest("LoginCounter"."hitTimes") AS at
      WHERE at > ${now}::timestamptz - make_interval(secs => ${policy.windowSeconds}) ORDER BY at)`;
    const rows = await this.db.$queryRaw<{ hits: number; oldest: Date }[]>`
      INSERT INTO "LoginCounter" ("key", "hits", "hitTimes", "updatedAt") VALUES (${key}, 1, ARRAY[${now}::timestamptz], ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = cardinality(${recent}) + 1,
        "hitTimes" = CASE WHEN cardinality(${recent}) < ${policy.limit} THEN ${recent} || ${now}::timestamptz ELSE ${recent} END,
        "updatedAt" = ${now}
      RETURNING "hits", "hitTimes"[1] AS "oldest"`;
    return rows[0];
  }

  /** The key's lock in force (or null) as a scalar subquery, for a statement that reads the account anyway. */
  lockedUntilColumn(key: string, now: Date): Prisma.Sql {
    return Prisma.sql`(SELECT lc."lockedUntil" FROM "LoginCounter" lc WHERE lc."key" = ${key} AND lc."lockedUntil" > ${now})`;
  }

  /** Read with the request's other reads of its wave: this runs for every `User.status` read. */
  async lockedUntilMany(keys: string[], now: Date): Promise<Map<string, Date>> {
    const rows = await new ReadBatch(this.db).rows<{ key: string; lockedUntil: string }>(Prisma.sql`
      SELECT "key", "lockedUntil" FROM "LoginCounter" WHERE "key" = ANY(${keys}::text[]) AND "lockedUntil" > ${now}`);
    return new Map(rows.map((row) => [row.key, new Date(row.lockedUntil)]));
  }

  /** Counts one failure, locking at the threshold; false when the key is locked (nothing counted). */
  async recordFailure(key: string, now: Date, policy: LockoutPolicy): Promise<boolean> {
    // The WHERE clause skips a key that is locked: failures while locked neither count nor extend it.
    await this.db.$executeRaw`
      INSERT INTO "LoginCounter" ("key", "failures", "updatedAt") VALUES (${key}, 0, ${now})
      ON CONFLICT ("key") DO NOTHING`;
    // RETURNING rather than the affected-row count, which not every driver adapter reports.
    const counted = await this.db.$queryRaw<{ key: string }[]>`
      UPDATE "LoginCounter" SET
        "failures" = CASE WHEN "failures" + 1 >= ${policy.threshold} THEN 0 ELSE "failures" + 1 END,
        "lockLevel" = CASE WHEN "failures" + 1 >= ${policy.threshold} THEN "lockLevel" + 1 ELSE "lockLevel" END,
        "lockedUntil" = CASE WHEN "failures" + 1 >= ${policy.threshold}
          THEN ${now}::timestamptz + make_interval(secs => LEAST(${policy.baseSeconds}::float8 * power(2, "lockLevel"), ${policy.maxSeconds}::float8))
          ELSE "lockedUntil" END,
        "updatedAt" = ${now}
      WHERE "key" = ${key} AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
      RETURNING "key"`;
    return counted.length > 0;
  }

  /** Spends one unit of the counter's `limit`; false (nothing spent) once it is used up. */
  async spend(counterKey: string, limit: number, now: Date): Promise<boolean> {
    // One statement: the row lock of ON CONFLICT serialises instances; a spent-out window returns no row.
    const rows = await this.db.$queryRaw<{ hits: number }[]>`
      INSERT INTO "LoginCounter" ("key", "hits", "updatedAt") VALUES (${counterKey}, 1, ${now})
      ON CONFLICT ("key") DO UPDATE SET "hits" = "LoginCounter"."hits" + 1, "updatedAt" = ${now}
        WHERE "LoginCounter"."hits" < ${limit}
      RETURNING "hits"`;
    return rows.length === 1;
  }

  async reset(keys: string[]): Promise<void> {
    await this.db.loginCounter.updateMany({
      where: { key: { in: keys } },
      data: { failures: 0, lockLevel: 0, lockedUntil: null },
    });
  }
}
