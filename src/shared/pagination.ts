// Relay connections with keyset (seek) cursors (SPEC §8). A cursor carries the sort key of the last row a
// client saw, e.g. [placedAt, id], and the next page is "rows after that key" rather than "skip N rows".
// Rows inserted or deleted elsewhere therefore never shift a page (no duplicates, no gaps), and every page
// costs an index seek instead of an OFFSET scan. The key must end with a unique column to be a total order.
import { badUserInput } from './errors.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
const MAX_CURSOR_LENGTH = 1024;

export type CursorKey = (string | number | null)[];

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Edge<T>[];
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return first;
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

/** Rows are fetched with `size + 1`: the extra row only says that a next page exists. */
export function toConnection<T>(
  rows: T[],
  size: number,
  totalCount: number,
  keyOf: (row: T) => (string | number | null)[],
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null,
    },
    edges,
  };
}
