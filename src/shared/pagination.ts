// Relay connections with keyset (seek) cursors (SPEC §8). A cursor carries the sort key of a row a client
// saw, e.g. [placedAt, id]; the next page is "rows after that key" (`first`/`after`) and the previous page
// "rows before that key" (`last`/`before`, read in reverse sort order and turned back), never "skip N rows".
// Rows inserted or deleted elsewhere therefore never shift a page (no duplicates, no gaps), and every page
// costs an index seek instead of an OFFSET scan. The key must end with a unique column to be a total order.
// The rules for combining the four arguments are in docs/domain.md (Paging).
import { badUserInput } from './errors.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
const MAX_CURSOR_LENGTH = 1024;

export type CursorKey = (string | number | null)[];

/**
 * What one part of a sort key is, so that a cursor is checked before it reaches a query: a crafted
 * `["not a date", "zz"]` is the client's BAD_USER_INPUT, not the database's error.
 */
export type KeyKind = 'date' | 'uuid' | 'number' | 'text' | { readonly members: readonly string[] };

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A checked page: its size, the side it is read from, and the keys it lies between. */
export interface PageRequest {
  size: number;
  /** Read from the `before` end in reverse sort order (then turned back): `last`, or `before` alone. */
  backward: boolean;
  after: CursorKey | null;
  before: CursorKey | null;
}

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Edge<T>[];
}

/** `first` or `last` (named by `field`): an integer from 0 to 100, 20 when absent. */
export function pageSize(size: number | null | undefined, field: 'first' | 'last' = 'first'): number {
  if (size === null || size === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badUserInput(field, `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

/** The first `size` rows of a list, as `first: size` asks. */
export const pageFromStart = (size: number): PageRequest => ({ size, backward: false, after: null, before: null });

const isGiven = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/**
 * Relay's arguments checked and combined: `first` pages forward from `after`, `last` backward from
 * `before`, each cursor bounds the other side when both are given. Without `first` or `last` the page is
 * the default size, read backward when only `before` is given (the page just before that cursor).
 */
export function pageRequest(args: PageArgs, kinds: readonly KeyKind[]): PageRequest {
  if (isGiven(args.first) && isGiven(args.last)) {
    throw badUserInput('last', 'cannot be combined with first: ask for the first rows (after a cursor) or the last rows (before one)');
  }
  const after = args.after ? readCursor('after', args.after, kinds) : null;
  const before = args.before ? readCursor('before', args.before, kinds) : null;
  if (isGiven(args.last)) return { size: pageSize(args.last, 'last'), backward: true, after, before };
  return { size: pageSize(args.first, 'first'), backward: !isGiven(args.first) && before !== null && after === null, after, before };
}

export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function isKeyPart(value: unknown): value is string | number | null {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** The key inside a cursor made by encodeCursor; anything else is the client's mistake, not ours. */
export function decodeCursor(field: string, cursor: string, arity: number): CursorKey {
  const invalid = () => badUserInput(field, 'is not a valid cursor');
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  if (!BASE64URL.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Node's decoder skips junk and replaces bad UTF-8; only a cursor that re-encodes to itself is ours.
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every(isKeyPart)) throw invalid();
  return key;
}

// Only the form keyOf writes (toISOString), years 0001-9999 (PostgreSQL has no year 0): every such
// instant is a valid timestamptz.
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function keyPartOf(kind: KeyKind, part: string | number | null): string | number | undefined {
  if (kind === 'date') {
    if (typeof part !== 'string' || !ISO_INSTANT.test(part)) return undefined;
    const instant = new Date(part);
    // A round trip refuses what Date would roll over or reject, e.g. February 30 or hour 24.
    return !Number.isNaN(instant.getTime()) && instant.toISOString() === part ? part : undefined;
  }
  if (kind === 'uuid') return typeof part === 'string' && UUID.test(part) ? part.toLowerCase() : undefined;
  if (kind === 'number') return typeof part === 'number' ? part : undefined;
  if (kind === 'text') return typeof part === 'string' ? part : undefined;
  return typeof part === 'string' && kind.members.includes(part) ? part : undefined;
}

/** A cursor of this list: made by encodeCursor, and each key part of the kind of its sort column. */
export function readCursor(field: 'after' | 'before', cursor: string, kinds: readonly KeyKind[]): CursorKey {
  const key = decodeCursor(field, cursor, kinds.length);
  return key.map((part, index) => {
    const checked = keyPartOf(kinds[index], part);
    if (checked === undefined) throw badUserInput(field, 'is not a valid cursor');
    return checked;
  });
}

/**
 * Rows are fetched with `size + 1` in reading order (reverse sort order for a backward page): the extra
 * row only says that more rows lie beyond the page on the side it was read towards. The other side is
 * Relay's cheap answer: a page read from a cursor has rows on that side, the row the cursor names.
 */
export function toConnection<T>(rows: T[], request: PageRequest, totalCount: number, keyOf: (row: T) => (string | number | null)[]): Connection<T> {
  const page = rows.slice(0, request.size);
  if (request.backward) page.reverse();
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  const more = rows.length > request.size;
  return {
    totalCount,
    pageInfo: {
      hasNextPage: request.backward ? request.before !== null : more || request.before !== null,
      hasPreviousPage: request.backward ? more || request.after !== null : request.after !== null,
      startCursor: edges.length > 0 ? edges[0].cursor : null,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
    edges,
  };
}
