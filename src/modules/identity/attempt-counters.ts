// Lockout and throttling counters (SPEC §2), shared by every server instance: in PostgreSQL by default,
// in Redis when REDIS_URL is set. Each update is one atomic statement, so concurrent attempts (several
// instances, aliased batches) cannot slip past a limit.
//   lockout: 10 consecutive failures lock for 15 min, doubling per further lock up to 24 h; failures while
//            locked neither count nor extend; success resets. Keys: `account:<userId>` or `identifier:<id>`.
//   throttle: at most 30 admitted attempts per client IP in any 10 minutes. Key: `ip:<address>`.
// The throttle is a sliding-window log of our own rather than rate-limiter-flexible: that library reads
// the system time inside its stores (so a test cannot move it across a window edge) and offers fixed
// windows, and a token bucket admits up to twice its size in one window. A log of at most 30 instants
// per address is exact and small: an attempt is admitted when fewer than 30 admitted ones lie in the
// last 10 minutes; refused attempts are not logged, so a client that keeps knocking is let in again as
// soon as its oldest admitted attempt leaves the window.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Database } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { AttemptCounterRepository, type LockoutPolicy, type ThrottlePolicy } from './attempt-counter.repository.js';
import { ServiceUnavailableError } from '../../shared/errors.js';

export const LOCKOUT_THRESHOLD = 10;
export const LOCKOUT_BASE_SECONDS = 15 * 60;
export const LOCKOUT_MAX_SECONDS = 24 * 60 * 60;
export const THROTTLE_LIMIT = 30;
export const THROTTLE_WINDOW_SECONDS = 10 * 60;
const THROTTLE: ThrottlePolicy = { limit: THROTTLE_LIMIT, windowSeconds: THROTTLE_WINDOW_SECONDS };
const LOCKOUT: LockoutPolicy = { threshold: LOCKOUT_THRESHOLD, baseSeconds: LOCKOUT_BASE_SECONDS, maxSeconds: LOCKOUT_MAX_SECONDS };

export interface ThrottleResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface AttemptCounters {
  /** Counts one attempt from this key; refused when 30 admitted attempts lie in the last 10 minutes. */
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
  /** Clears the failures and locks of these keys (a success, a reset password, an admin's unlock). */
  reset(...keys: string[]): Promise<void>;
  /**
   * Spends one unit of a budget of `limit` per fixed window (the OTP pumping guard): true when spent,
   * false (nothing spent) once the window's budget is used up. The window is named by its start.
   */
  spend(key: string, limit: number, window: BudgetWindow, now: Date): Promise<boolean>;
}

export interface BudgetWindow {
  start: Date;
  end: Date;
}

/** The counters in PostgreSQL: the rules of this file over the statements of attempt-counter.repository.ts. */
export class PostgresAttemptCounters implements AttemptCounters {
  private readonly counters: AttemptCounterRepository;

  constructor(db: Database) {
    this.counters = new AttemptCounterRepository(db);
  }

  async hit(key: string, now: Date): Promise<ThrottleResult> {
    const { hits, oldest } = await this.counters.hit(key, now, THROTTLE);
    return throttleResult(hits, oldest.getTime(), now);
  }

  async lockedUntil(key: string, now: Date): Promise<Date | null> {
    return (await this.lockedUntilMany([key], now)).get(key) ?? null;
  }

  lockedUntilColumn(key: string, now: Date): Prisma.Sql {
    return this.counters.lockedUntilColumn(key, now);
  }

  async lockedUntilMany(keys: string[], now: Date): Promise<Map<string, Date>> {
    if (keys.length === 0) return new Map();
    return this.counters.lockedUntilMany(keys, now);
  }

  async recordFailure(key: string, now: Date): Promise<boolean> {
    return this.counters.recordFailure(key, now, LOCKOUT);
  }

  async spend(key: string, limit: number, window: BudgetWindow, now: Date): Promise<boolean> {
    return this.counters.spend(budgetKey(key, window), limit, now);
  }

  async reset(...keys: string[]): Promise<void> {
    await this.counters.reset(keys);
  }
}

/** A budget's counter for one window: `budget:<key>@<window start>`. */
function budgetKey(key: string, window: BudgetWindow): string {
  return `budget:${key}@${window.start.toISOString()}`;
}

/** Admitted while the window held fewer than the limit; a refused caller may retry when the oldest leaves. */
function throttleResult(hits: number, oldestMs: number, now: Date): ThrottleResult {
  const allowed = hits <= THROTTLE_LIMIT;
  const retryAfterMs = oldestMs + THROTTLE_WINDOW_SECONDS * 1000 - now.getTime();
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

// KEYS[1] sorted set of admitted instants (score ms, member unique); ARGV: now(ms), window(ms), limit,
// member. Returns {attempts in the window with this one, oldest admitted instant}. The application's clock
// decides the window, as in PostgreSQL, so both stores behave alike and tests can move time.
const REDIS_HIT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < tonumber(ARGV[3]) then redis.call('ZADD', KEYS[1], now, ARGV[4]) end
redis.call('PEXPIRE', KEYS[1], window * 2)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {count + 1, oldest[2]}`;

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

// KEYS[1] the window's counter; ARGV: limit, time to live (ms). 1 when spent, 0 when used up. The time to
// live is relative, from the application's clock, like every window here: the key names its window, so
// a key outliving it is never read again.
const REDIS_SPEND = `
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
if spent >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** After a Redis command fails for want of an answer, the next ones fail at once for this long. */
export const REDIS_BACKOFF_MS = 2_000;

/** Where refusals for an unreachable Redis are counted (the server's rate-limited outage log). */
export interface OutageRecorder {
  record(key: string, reason: string): void;
}

// When Redis cannot be reached, every decision that admits a password attempt (throttle, lockout) fails
// closed with SERVICE_UNAVAILABLE: a throttle that silently stopped counting would let an attacker guess
// without limit for as long as Redis is down, and falling back to PostgreSQL would start from empty
// counters. Only the display of a lock (`User.status`, read by `me`) goes on without Redis: it then shows
// the account's stored status, and no one can sign in with a password meanwhile anyway.
export class RedisAttemptCounters implements AttemptCounters {
  private unreachableUntil = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'bff:attempts:',
    private readonly outages?: OutageRecorder,
  ) {}

  /** Runs one Redis call; a connection problem (not a script's own error) becomes SERVICE_UNAVAILABLE. */
  private async command<T>(run: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') throw new ServiceUnavailableError('redis', `connection ${this.redis.status}`);
    if (performance.now() < this.unreachableUntil) throw new ServiceUnavailableError('redis', 'backing off after a failed command');
    try {
      return await run();
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError') throw error;
      this.unreachableUntil = performance.now() + REDIS_BACKOFF_MS;
      throw new ServiceUnavailableError('redis', error instanceof Error ? error.message.slice(0, 200) : String(error));
    }
  }

  async hit(key: string, now: Date): Promise<ThrottleResult> {
    const window = THROTTLE_WINDOW_SECONDS * 1000;
    // A key of its own (`window:`): the fixed-window hash of earlier versions lived under `hit:`.
    const [hits, oldest] = (await this.command(() =>
      this.redis.eval(REDIS_HIT, 1, `${this.prefix}window:${key}`, now.getTime(), window, THROTTLE_LIMIT, randomUUID()),
    )) as [number, string];
    return throttleResult(hits, Number(oldest), now);
  }

  /** Strict: a sign-in decision, so an unreachable Redis refuses with SERVICE_UNAVAILABLE. */
  async lockedUntil(key: string, now: Date): Promise<Date | null> {
    return (await this.readLocks([key], now)).get(key) ?? null;
  }

  /** For display (`User.status`): an unreachable Redis reads as no lock, counted in the outage log. */
  async lockedUntilMany(keys: string[], now: Date): Promise<Map<string, Date>> {
    try {
      return await this.readLocks(keys, now);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      this.outages?.record('redis', error.reason);
      return new Map();
    }
  }

  private async readLocks(keys: string[], now: Date): Promise<Map<string, Date>> {
    const result = new Map<string, Date>();
    if (keys.length === 0) return result;
    const answers = await this.command(async () => {
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.hget(`${this.prefix}lock:${key}`, 'lockedUntil');
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error)?.[0];
      if (failed) throw failed;
      return replies;
    });
    answers.forEach(([, value], index) => {
      const until = Number(value ?? 0);
      if (until > now.getTime()) result.set(keys[index], new Date(until));
    });
    return result;
  }

  async recordFailure(key: string, now: Date): Promise<boolean> {
    const counted = await this.command(() =>
      this.redis.eval(REDIS_FAILURE, 1, `${this.prefix}lock:${key}`, now.getTime(), LOCKOUT_THRESHOLD, LOCKOUT_BASE_SECONDS * 1000, LOCKOUT_MAX_SECONDS * 1000),
    );
    return counted === 1;
  }

  async spend(key: string, limit: number, window: BudgetWindow, now: Date): Promise<boolean> {
    // Kept a minute past the window's end.
    const ttl = Math.max(1, window.end.getTime() - now.getTime()) + 60_000;
    const spent = await this.command(() => this.redis.eval(REDIS_SPEND, 1, `${this.prefix}${budgetKey(key, window)}`, limit, ttl));
    return spent === 1;
  }

  async reset(...keys: string[]): Promise<void> {
    if (keys.length > 0) await this.command(() => this.redis.del(...keys.map((key) => `${this.prefix}lock:${key}`)));
  }
}
