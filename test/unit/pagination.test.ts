import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '../../src/shared/errors.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  pageSize,
  toConnection,
} from '../../src/shared/pagination.js';
import { caught } from '../support/caught.js';


function expectBadUserInput(action: () => unknown, field: string, message?: string): void {
  const error = caught(action);
  expect(isAppError(error)).toBe(true);
  if (!isAppError(error)) return;
  expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
  expect(error.extensions.field).toBe(field);
  if (message) expect(error.message).toBe(`${field}: ${message}`);
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('page size limits', () => {
  it('are 20 by default and 100 at most', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(MAX_PAGE_SIZE).toBe(100);
  });
});

describe('pageSize', () => {
  it.each<[number | null | undefined, number]>([
    [undefined, 20],
    [null, 20],
    [0, 0],
    [1, 1],
    [20, 20],
    [99, 99],
    [100, 100],
  ])('first = %s → %d', (first, expected) => {
    expect(pageSize(first)).toBe(expected);
  });

  it.each([[-1], [101], [1000], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [-0.5]])(
    'rejects first = %s',
    (first) => {
      expectBadUserInput(() => pageSize(first), 'first', 'must be between 0 and 100');
    },
  );
});

describe('encodeCursor and decodeCursor', () => {
  it.each<[(string | number | null)[]]>([
    [[]],
    [['ckx1']],
    [['2026-03-16T00:00:00.000Z', 'ckx1']],
    [[42, 'id-1']],
    [[null, 'id-1']],
    [[-1.5, 0, 'ünïcødé ₹ 🥛']],
    [['', '"quoted" \\ back']],
  ])('round-trips %j', (key) => {
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
    expect(decodeCursor('after', cursor, key.length)).toEqual(key);
  });

  it('produces different cursors for different keys', () => {
    expect(encodeCursor(['a', 1])).not.toBe(encodeCursor(['a', 2]));
  });

  const valid = encodeCursor(['2026-03-16T00:00:00.000Z', 'ckx1']);

  it.each<[string, string]>([
    ['', 'empty'],
    ['!!!', 'not base64url'],
    ['abc=', 'padding'],
    ['ab+/', 'standard base64 alphabet'],
    [`${valid} `, 'trailing space'],
    [`${valid}A`, 'a stray character'],
    [valid.slice(0, -1), 'truncated'],
    [base64url('not json'), 'not JSON'],
    [base64url('{"a":1}'), 'an object'],
    [base64url('"a"'), 'a string'],
    [base64url('null'), 'null'],
    [base64url('["a"]'), 'too short'],
    [base64url('["a","b","c"]'), 'too long'],
    [base64url('["a",true]'), 'a boolean'],
    [base64url('["a",{}]'), 'a nested object'],
    [base64url('["a",["b"]]'), 'a nested array'],
    [base64url('["a",1e999]'), 'an infinite number'],
    [Buffer.from([0x5b, 0xff, 0xfe, 0x5d]).toString('base64url'), 'invalid UTF-8'],
    [base64url(JSON.stringify(['a', 'x'.repeat(800)])), 'longer than 1 KB'],
  ])('rejects %j (%s)', (cursor) => {
    expectBadUserInput(() => decodeCursor('after', cursor, 2), 'after', 'is not a valid cursor');
  });

  it('accepts a cursor of exactly 1 KB and refuses one byte more', () => {
    const key = (length: number) => encodeCursor(['a', 'x'.repeat(length)]);
    let length = 0;
    while (key(length + 1).length <= 1024) length += 1;
    expect(key(length).length).toBeLessThanOrEqual(1024);
    expect(decodeCursor('after', key(length), 2)).toEqual(['a', 'x'.repeat(length)]);
    expect(key(length + 1).length).toBeGreaterThan(1024);
    expectBadUserInput(() => decodeCursor('after', key(length + 1), 2), 'after');
  });

  it('rejects a value that is not a string at run time', () => {
    expectBadUserInput(() => decodeCursor('before', 12 as unknown as string, 1), 'before');
  });
});

describe('toConnection', () => {
  interface Row {
    id: string;
    placedAt: number;
  }
  const rows = (count: number): Row[] =>
    Array.from({ length: count }, (_, index) => ({ id: `r${index}`, placedAt: 1000 + index }));
  const keyOf = (row: Row) => [row.placedAt, row.id];

  it.each<[number, number, boolean, string[]]>([
    [0, 3, false, []],
    [2, 3, false, ['r0', 'r1']],
    [3, 3, false, ['r0', 'r1', 'r2']],
    [4, 3, true, ['r0', 'r1', 'r2']],
    [1, 0, true, []],
    [0, 0, false, []],
  ])('%d rows fetched for a page of %d: hasNextPage %s', (fetched, size, hasNextPage, ids) => {
    const connection = toConnection(rows(fetched), size, 57, keyOf);
    expect(connection.totalCount).toBe(57);
    expect(connection.pageInfo.hasNextPage).toBe(hasNextPage);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(ids);
  });

  it('gives each edge the cursor of its key and ends on the last edge', () => {
    const connection = toConnection(rows(4), 3, 4, keyOf);
    expect(connection.edges.map((edge) => decodeCursor('after', edge.cursor, 2))).toEqual([
      [1000, 'r0'],
      [1001, 'r1'],
      [1002, 'r2'],
    ]);
    expect(connection.pageInfo.endCursor).toBe(connection.edges[2].cursor);
  });

  it('has no end cursor when the page is empty', () => {
    expect(toConnection([], 20, 0, keyOf).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('does not modify the rows it was given', () => {
    const fetched = rows(4);
    toConnection(fetched, 3, 4, keyOf);
    expect(fetched).toHaveLength(4);
  });

  it('pages through a list without gaps or repeats, also when rows are inserted before the cursor', () => {
    const table: Row[] = rows(7);
    const seen: string[] = [];
    let after: (string | number | null)[] | null = null;
    for (let pageNumber = 0; pageNumber < 10; pageNumber += 1) {
      const afterKey = after;
      const fetched = table
        .filter((row) => afterKey === null || row.placedAt > (afterKey[0] as number))
        .sort((left, right) => left.placedAt - right.placedAt)
        .slice(0, 3 + 1);
      const connection = toConnection(fetched, 3, table.length, keyOf);
      seen.push(...connection.edges.map((edge) => edge.node.id));
      // A row inserted before the cursor would shift an OFFSET page by one; a keyset page does not move.
      if (pageNumber === 0) table.unshift({ id: 'early', placedAt: 1 });
      if (!connection.pageInfo.hasNextPage) break;
      after = decodeCursor('after', connection.pageInfo.endCursor!, 2);
    }
    expect(seen).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });
});
