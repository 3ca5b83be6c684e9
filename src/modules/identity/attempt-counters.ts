// Lockout and throttling counters (SPEC §2), shared by every server instance: in PostgreSQL by default,
// in Redis when REDIS_URL is set. Each update is one atomic statement, so concurrent attempts (several
// instances, aliased batches) cannot slip past a limit.
//   lockout: 10 consecutive failures lock for 15 min, doubling per further lock up to 24 h; failures while
//            locked neither count nor extend; success resets. Keys: `account:<userId>` or `identifier:<id>`.
//   throttle: at most 30 attempts per client IP per fixed 10-minute window. Key: `ip:<address>`.
import type { Redis } from 'ioredis';
import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';

export const LOCKOUT_THRESHOLD = 10;
export const LOCKOUT_BASE_SECONDS = 15 * 60;
export const LOCKOUT_MAX_SECONDS = 24 * 60 * 60;
export const THROTTLE_LIMIT = 30;
export const THROTTLE_WINDOW_SECONDS = 10 * 60;

export interface ThrottleResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface AttemptCounters {
  /** Counts one attempt from this key; refused once the window's limit is passed. */
  hit(key: string, now: Date): Promise<ThrottleResult>;
  /** When the key is locked, the instant the lock ends. */
  lockedUntil(key: string, now: Date): Promise<Date | null>;
  lockedUntilMany(keys: string[], now: Date): Promise<Map<string, Date>>;
  /**
   * The key's lock in force (or null) as a scalar subquery, for a statement that reads the account anyway
   * (the session check): only counters kept in this database have one.
   */
  lockedUntilColumn?(key: string, now: Date): Prisma.Sql;
  /**
   * Counts one password attempt as a failure; false when the key is locked, so the attempt is not
   * admitted. Callers count before checking the password and reset on success, so that a burst of
   * simultaneous guesses cannot all be checked before the first failure is recorded.
   */
  recordFailure(key: string, now: Date): Promise<boolean>;
  reset(key: string): Promise<void>;
}

export function lockSeconds(lockLevel: number): number {
  return Math.min(LOCKOUT_BASE_SECONDS * 2 ** Math.max(0, lockLevel - 1), LOCKOUT_MAX_SECONDS);
}

export class PostgresAttemptCounters implements AttemptCounters {
  constructor(private readonly db: Database) {}

  async hit(key: string, now: Date): Promise<ThrottleResult> {
    const rows = await this.db.$queryRaw<{ hits: number; windowStart: Date }[]>`
      INSERT INTO "LoginCounter" ("key", "hits", "windowStart", "updatedAt") VALUES (${key}, 1, ${now}, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "hits" = CASE WHEN "LoginCounter"."windowStart" <= ${now}::timestamptz - make_interval(secs => ${THROTTLE_WINDOW_SECONDS})
                      THEN 1 ELSE "LoginCounter"."hits" + 1 END,
        "windowStart" = CASE WHEN "LoginCounter"."windowStart" <= ${now}::timestamptz - make_interval(secs => ${THROTTLE_WINDOW_SECONDS})
                      THEN ${now} ELSE "LoginCounter"."windowStart" END,
        "updatedAt" = ${now}
      RETURNING "hits", "windowStart"`;
    const { hits, windowStart } = rows[0];
    const windowEnds = windowStart.getTime() + THROTTLE_WINDOW_SECONDS * 1000;
    return { allowed: hits <= THROTTLE_LIMIT, retryAfterSeconds: Math.ceil((windowEnds - now.getTime()) / 1000) };
  }

  async lockedUntil(key: string, now: Date): Promise<Date | null> {
    return (await this.lockedUntilMany([key], now)).get(key) ?? null;
  }

  lockedUntilColumn(key: string, now: Date): Prisma.Sql {
    return Prisma.sql`(SELECT lc."lockedUntil" FROM "LoginCounter" lc WHERE lc."key" = ${key} AND lc."lockedUntil" > ${now})`;
  }

  async lockedUntilMany(keys: string[], now: Date): Promise<Map<string, Date>> {
    if (keys.length === 0) return new Map();
    // Raw SQL: this runs for every `User.status` read (`me` included) and the ORM costs ~3× the CPU.
    const rows = await this.db.$queryRaw<{ key: string; lockedUntil: Date }[]>`
      SELECT "key", "lockedUntil" FROM "LoginCounter" WHERE "key" = ANY(${keys}::text[]) AND "lockedUntil" > ${now}`;
    return new Map(rows.map((row) => [row.key, row.lockedUntil]));
  }

  async recordFailure(key: string, now: Date): Promise<boolean> {
    // The WHERE clause skips a key that is locked: failures while locked neither count nor extend it.
    await this.db.$executeRaw`
      INSERT INTO "LoginCounter" ("key", "failures", "windowStart", "updatedAt") VALUES (${key}, 0, ${now}, ${now})
      ON CONFLICT ("key") DO NOTHING`;
    // RETURNING rather than the affected-row count, which not every driver adapter reports.
    const counted = await this.db.$queryRaw<{ key: string }[]>`
      UPDATE "LoginCounter" SET
        "failures" = CASE WHEN "failures" + 1 >= ${LOCKOUT_THRESHOLD} THEN 0 ELSE "failures" + 1 END,
        "lockLevel" = CASE WHEN "failures" + 1 >= ${LOCKOUT_THRESHOLD} THEN "lockLevel" + 1 ELSE "lockLevel" END,
        "lockedUntil" = CASE WHEN "failures" + 1 >= ${LOCKOUT_THRESHOLD}
          THEN ${now}::timestamptz + make_interval(secs => LEAST(${LOCKOUT_BASE_SECONDS}::float8 * power(2, "lockLevel"), ${LOCKOUT_MAX_SECONDS}::float8))
          ELSE "lockedUntil" END,
        "updatedAt" = ${now}
      WHERE "key" = ${key} AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
      RETURNING "key"`;
    return counted.length > 0;
  }

  async reset(key: string): Promise<void> {
    await this.db.loginCounter.updateMany({
      where: { key },
      data: { failures: 0, lockLevel: 0, lockedUntil: null },
    });
  }
}

// KEYS[1] hash {start(ms), hits}; ARGV: now(ms), window(ms). The application's clock decides the window,
// as in PostgreSQL, so both stores behave alike and tests can move time.
const REDIS_HIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local start = tonumber(redis.call('HGET', KEYS[1], 'start') or '-1')
if start < 0 or start <= now - window then
  redis.call('HSET', KEYS[1], 'start', now, 'hits', 1)
  redis.call('PEXPIRE', KEYS[1], window * 2)
  return {1, now}
end
return {redis.call('HINCRBY', KEYS[1], 'hits', 1), start}`;

// KEYS[1] hash {failures, lockLevel, lockedUntil(ms)}; ARGV: now(ms), threshold, base(ms), max(ms)
const REDIS_FAILURE = `
local now = tonumber(ARGV[1])
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
if lockedUntil > now then return 0 end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if failures >= tonumber(ARGV[2]) then
  local level = redis.call('HINCRBY', KEYS[1], 'lockLevel', 1)
  local duration = math.min(tonumber(ARGV[3]) * 2 ^ (level - 1), tonumber(ARGV[4]))
  redis.call('HSET', KEYS[1], 'failures', 0, 'lockedUntil', now + duration)
end
redis.call('PEXPIRE', KEYS[1], 7 * 24 * 3600 * 1000)
return 1`;

export class RedisAttemptCounters implements AttemptCounters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'bff:attempts:',
  ) {}

  async hit(key: string, now: Date): Promise<ThrottleResult> {
    const window = THROTTLE_WINDOW_SECONDS * 1000;
    const [hits, start] = (await this.redis.eval(REDIS_HIT, 1, `${this.prefix}hit:${key}`, now.getTime(), window)) as [
      number,
      number,
    ];
    return { allowed: hits <= THROTTLE_LIMIT, retryAfterSeconds: Math.ceil((start + window - now.getTime()) / 1000) };
  }

  async lockedUntil(key: string, now: Date): Promise<Date | null> {
    return (await this.lockedUntilMany([key], now)).get(key) ?? null;
  }

  async lockedUntilMany(keys: string[], now: Date): Promise<Map<string, Date>> {
    const result = new Map<string, Date>();
    if (keys.length === 0) return result;
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hget(`${this.prefix}lock:${key}`, 'lockedUntil');
    const answers = (await pipeline.exec()) ?? [];
    answers.forEach(([, value], index) => {
      const until = Number(value ?? 0);
      if (until > now.getTime()) result.set(keys[index], new Date(until));
    });
    return result;
  }

  async recordFailure(key: string, now: Date): Promise<boolean> {
    const counted = await this.redis.eval(
      REDIS_FAILURE,
      1,
      `${this.prefix}lock:${key}`,
      now.getTime(),
      LOCKOUT_THRESHOLD,
      LOCKOUT_BASE_SECONDS * 1000,
      LOCKOUT_MAX_SECONDS * 1000,
    );
    return counted === 1;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}lock:${key}`);
  }
}
