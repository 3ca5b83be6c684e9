// Idempotency keys (docs/deployment.md, "Retries and idempotency keys"). A keyed mutation runs once per
// caller and key: the key row is written in the mutation's own transaction (IdempotencyGuard), so a
// rolled-back mutation leaves no key and a committed one always does; a retry finds the row and answers
// the record it names, read again now. Same key with other arguments (or another mutation): CONFLICT.
import { createHmac } from 'node:crypto';
import type { Database, DatabaseClient } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, badUserInput, ErrorCode } from '../../shared/errors.js';
import { IdempotencyRepository, type IdempotencyKeyRow } from './idempotency.repository.js';

/** How long a key is remembered: a retry later than this runs the mutation again. */
const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function checkKey(field: string, value: string): string {
  if (value.length === 0 || value.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw badUserInput(field, `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters (got ${value.length})`);
  }
  if (!PRINTABLE_ASCII.test(value)) throw badUserInput(field, 'must be printable ASCII characters only (a UUID is a good key)');
  return value;
}

/**
 * The key of one request: the Idempotency-Key header or the idempotencyKey argument; null when neither.
 * Both may be given only when equal (a client that sets them from two places would otherwise not know
 * which one guarded the write).
 */
export function resolveIdempotencyKey(header: string | null | undefined, argument: string | null | undefined): string | null {
  const fromHeader = header === null || header === undefined ? null : checkKey(`${IDEMPOTENCY_HEADER} header`, header);
  const fromArgument = argument === null || argument === undefined ? null : checkKey('idempotencyKey', argument);
  if (fromHeader !== null && fromArgument !== null && fromHeader !== fromArgument) {
    throw badUserInput('idempotencyKey', `differs from the ${IDEMPOTENCY_HEADER} header: send the key once, or the same key in both`);
  }
  return fromArgument ?? fromHeader;
}

/** Arguments as one stable text: object keys sorted, absent and null alike, dates as ISO instants. */
function canonicalArguments(value: unknown): string {
  const normalise = (item: unknown): unknown => {
    if (item === undefined || item === null) return null;
    if (item instanceof Date) return item.toISOString();
    if (Array.isArray(item)) return item.map(normalise);
    if (typeof item === 'object') {
      const entries = Object.entries(item as Record<string, unknown>)
        .filter(([, field]) => field !== undefined && field !== null)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([name, field]) => [name, normalise(field)]));
    }
    return item;
  };
  return JSON.stringify(normalise(value));
}

const keyConflict = (message: string) => new AppError(ErrorCode.CONFLICT, `idempotencyKey: ${message}`, { field: 'idempotencyKey' });

/** Thrown inside the mutation's transaction when the key is already taken: the transaction rolls back. */
class KeyTaken extends Error {}

/** Handed to a service: claims the key at the start of its transaction and records the answer at the end. */
export class IdempotencyGuard {
  claimed = false;

  constructor(
    private readonly repository: IdempotencyRepository,
    readonly row: IdempotencyKeyRow,
  ) {}

  async claim(tx: DatabaseClient): Promise<void> {
    if (!(await this.repository.claim(tx, this.row))) throw new KeyTaken();
    this.claimed = true;
  }

  async complete(tx: DatabaseClient, resultId: string): Promise<void> {
    await this.repository.complete(tx, this.row.scope, this.row.key, resultId);
  }
}

export interface IdempotentRequest {
  /** Whose key it is: `user:<id>`, or `ip:<address>` for an anonymous caller. */
  scope: string;
  key: string | null;
  /** The mutation's name; part of the fingerprint, so a key used for one mutation cannot answer another. */
  operation: string;
  /** The mutation's arguments, idempotencyKey excluded. */
  args: unknown;
}

interface IdempotentWork<T> {
  /** Runs the mutation; it must call guard.claim and guard.complete in its transaction when it writes. */
  execute: (guard: IdempotencyGuard | undefined) => Promise<T>;
  /** The id a retry answers with. */
  idOf: (result: T) => string;
  /** The answer of a retry: the record read again now. */
  replay: (resultId: string) => Promise<T>;
}

export class IdempotencyService {
  private readonly repository: IdempotencyRepository;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly secret: string,
  ) {
    this.repository = new IdempotencyRepository(db);
  }

  async run<T>(request: IdempotentRequest, work: IdempotentWork<T>): Promise<T> {
    if (request.key === null) return work.execute(undefined);
    const { scope, key, operation } = request;
    // An HMAC, not a plain hash: register's arguments hold a password.
    const fingerprint = createHmac('sha256', this.secret)
      .update(`${operation}\n${canonicalArguments(request.args)}`)
      .digest('hex');
    const now = this.clock.now();
    await this.repository.deleteExpiredOf(scope, now);
    const answer = async (row: IdempotencyKeyRow | null): Promise<T> => {
      if (!row) throw keyConflict('the request that used this key is still running: retry shortly');
      if (row.fingerprint !== fingerprint) {
        throw keyConflict(`was used within the last 24 hours for a different request (${row.operation} with other arguments): use a new key for a new request`);
      }
      if (row.resultId === null) throw keyConflict('the request that used this key is still running: retry shortly');
      return work.replay(row.resultId);
    };
    const existing = await this.repository.find(scope, key);
    if (existing) return answer(existing);

    const row: IdempotencyKeyRow = {
      scope,
      key,
      operation,
      fingerprint,
      resultId: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_KEY_LIFETIME_MS),
    };
    const guard = new IdempotencyGuard(this.repository, row);
    let result: T;
    try {
      result = await work.execute(guard);
    } catch (error) {
      if (error instanceof KeyTaken) return answer(await this.repository.find(scope, key));
      // A duplicate that committed meanwhile can make this run fail before its claim (register's "already
      // registered" check, say): the caller gets the duplicate's answer, as if it had waited for it.
      const committed = await this.repository.find(scope, key);
      if (committed && committed.fingerprint === fingerprint) return answer(committed);
      throw error;
    }
    if (!guard.claimed) {
      // The mutation wrote nothing (e.g. an order already delivered): the key still remembers the request.
      if (!(await this.repository.claim(this.db, { ...row, resultId: work.idOf(result) }))) return answer(await this.repository.find(scope, key));
    }
    return result;
  }

  /** Removes every expired key; the nightly sweep calls it. */
  deleteExpired(): Promise<number> {
    return this.repository.deleteExpired(this.clock.now());
  }
}
