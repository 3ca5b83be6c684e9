import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '../../src/shared/errors.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  encodeCursor,
  pageFromStart,
  pageRequest,
  pageSize,
  readCursor,
  toConnection,
  type KeyKind,
  type PageRequest,
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

  it.each([[-1], [101], [1000], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [-0.5]])('rejects first = %s', (first) => {
    expectBadUserInput(() => pageSize(first), 'first', 'must be between 0 and 100');
  });
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
  const rows = (count: number): Row[] => Array.from({ length: count }, (_, index) => ({ id: `r${index}`, placedAt: 1000 + index }));
  const keyOf = (row: Row) => [row.placedAt, row.id];

  it.each<[number, number, boolean, string[]]>([
    [0, 3, false, []],
    [2, 3, false, ['r0', 'r1']],
    [3, 3, false, ['r0', 'r1', 'r2']],
    [4, 3, true, ['r0', 'r1', 'r2']],
    [1, 0, true, []],
    [0, 0, false, []],
  ])('%d rows fetched for a page of %d: hasNextPage %s', (fetched, size, hasNextPage, ids) => {
    const connection = toConnection(rows(fetched), pageFromStart(size), 57, keyOf);
    expect(connection.totalCount).toBe(57);
    expect(connection.pageInfo.hasNextPage).toBe(hasNextPage);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(ids);
  });

  it('gives each edge the cursor of its key and ends on the last edge', () => {
    const connection = toConnection(rows(4), pageFromStart(3), 4, keyOf);
    expect(connection.edges.map((edge) => decodeCursor('after', edge.cursor, 2))).toEqual([
      [1000, 'r0'],
      [1001, 'r1'],
      [1002, 'r2'],
    ]);
    expect(connection.pageInfo.endCursor).toBe(connection.edges[2].cursor);
  });

  it('has no end cursor when the page is empty', () => {
    expect(toConnection([], pageFromStart(20), 0, keyOf).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('does not modify the rows it was given', () => {
    const fetched = rows(4);
    toConnection(fetched, pageFromStart(3), 4, keyOf);
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
      const connection = toConnection(fetched, pageFromStart(3), table.length, keyOf);
      seen.push(...connection.edges.map((edge) => edge.node.id));
      // A row inserted before the cursor would shift an OFFSET page by one; a keyset page does not move.
      if (pageNumber === 0) table.unshift({ id: 'early', placedAt: 1 });
      if (!connection.pageInfo.hasNextPage) break;
      after = decodeCursor('after', connection.pageInfo.endCursor!, 2);
    }
    expect(seen).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });
});

const ORDER_KINDS: KeyKind[] = ['date', 'uuid'];
const AN_ID = '01900000-0000-7000-8000-00000000000a';
const A_KEY = ['2026-06-15T06:30:00.000Z', AN_ID];

describe('readCursor', () => {
  it('accepts the keys keyOf writes, and gives back uuids in lower case', () => {
    expect(readCursor('after', encodeCursor(A_KEY), ORDER_KINDS)).toEqual(A_KEY);
    expect(readCursor('before', encodeCursor([A_KEY[0], AN_ID.toUpperCase()]), ORDER_KINDS)).toEqual(A_KEY);
    expect(readCursor('after', encodeCursor([3, 'x', 'PLACED']), ['number', 'text', { members: ['PLACED', 'DELIVERED'] }])).toEqual([3, 'x', 'PLACED']);
  });

  it.each<[(string | number | null)[], string]>([
    [['not a date', 'zz'], 'neither a date nor a uuid'],
    [['not a date', AN_ID], 'not a date'],
    [[A_KEY[0], 'zz'], 'not a uuid'],
    [[A_KEY[0], `${AN_ID}0`], 'a uuid with a character too many'],
    [[A_KEY[0], 42], 'a number for a uuid'],
    [[1_781_505_000_000, AN_ID], 'epoch milliseconds for a date'],
    [[null, AN_ID], 'null for a date'],
    [[A_KEY[0], null], 'null for a uuid'],
    [['2026-06-15', AN_ID], 'a date without a time'],
    [['2026-06-15T06:30:00Z', AN_ID], 'an instant without milliseconds'],
    [['2026-06-15T12:00:00.000+05:30', AN_ID], 'an instant with an offset'],
    [['2026-02-30T00:00:00.000Z', AN_ID], 'February 30'],
    [['2026-06-15T24:00:00.000Z', AN_ID], 'hour 24'],
    [['0000-01-01T00:00:00.000Z', AN_ID], 'year 0, which PostgreSQL does not have'],
    [['+275760-09-13T00:00:00.000Z', AN_ID], 'a six-digit year'],
  ])('refuses %j (%s), naming the argument', (key) => {
    expectBadUserInput(() => readCursor('after', encodeCursor(key), ORDER_KINDS), 'after', 'is not a valid cursor');
    expectBadUserInput(() => readCursor('before', encodeCursor(key), ORDER_KINDS), 'before', 'is not a valid cursor');
  });

  it.each<[(string | number | null)[], KeyKind[]]>([
    [['DISPATCHED'], [{ members: ['PLACED', 'DELIVERED'] }]],
    [['1'], ['number']],
    [[1], ['text']],
    [['a'], ORDER_KINDS],
  ])('refuses %j for kinds %j', (key, kinds) => {
    expectBadUserInput(() => readCursor('after', encodeCursor(key), kinds), 'after', 'is not a valid cursor');
  });
});

describe('pageRequest', () => {
  const after = encodeCursor(A_KEY);
  const before = encodeCursor(['2026-06-16T06:30:00.000Z', AN_ID]);

  it.each<[string, Parameters<typeof pageRequest>[0], PageRequest]>([
    ['nothing: the first 20', {}, { size: 20, backward: false, after: null, before: null }],
    ['first', { first: 5 }, { size: 5, backward: false, after: null, before: null }],
    ['first after', { first: 5, after }, { size: 5, backward: false, after: A_KEY, before: null }],
    ['last: the final rows', { last: 5 }, { size: 5, backward: true, after: null, before: null }],
    ['last before', { last: 5, before }, { size: 5, backward: true, after: null, before: ['2026-06-16T06:30:00.000Z', AN_ID] }],
    ['before alone: the 20 just before it', { before }, { size: 20, backward: true, after: null, before: ['2026-06-16T06:30:00.000Z', AN_ID] }],
    [
      'first before: from the start, up to the cursor',
      { first: 5, before },
      { size: 5, backward: false, after: null, before: ['2026-06-16T06:30:00.000Z', AN_ID] },
    ],
    ['last after: from the end, down to the cursor', { last: 5, after }, { size: 5, backward: true, after: A_KEY, before: null }],
    ['both cursors: forward between them', { after, before }, { size: 20, backward: false, after: A_KEY, before: ['2026-06-16T06:30:00.000Z', AN_ID] }],
    ['first 0', { first: 0 }, { size: 0, backward: false, after: null, before: null }],
    ['last 100', { last: 100 }, { size: 100, backward: true, after: null, before: null }],
    ['nulls are absent', { first: null, after: null, last: null, before: null }, { size: 20, backward: false, after: null, before: null }],
  ])('%s', (_name, args, expected) => {
    expect(pageRequest(args, ORDER_KINDS)).toEqual(expected);
  });

  it('refuses first and last together, naming both', () => {
    expectBadUserInput(
      () => pageRequest({ first: 1, last: 1 }, ORDER_KINDS),
      'last',
      'cannot be combined with first: ask for the first rows (after a cursor) or the last rows (before one)',
    );
    expectBadUserInput(() => pageRequest({ first: 0, last: 0 }, ORDER_KINDS), 'last');
  });

  it.each([[-1], [101], [1.5]])('refuses last = %s like first', (last) => {
    expectBadUserInput(() => pageRequest({ last }, ORDER_KINDS), 'last', 'must be between 0 and 100');
    expectBadUserInput(() => pageRequest({ first: last }, ORDER_KINDS), 'first', 'must be between 0 and 100');
  });

  it('names the cursor argument that is wrong', () => {
    const crafted = encodeCursor(['not a date', 'zz']);
    expectBadUserInput(() => pageRequest({ first: 1, after: crafted }, ORDER_KINDS), 'after', 'is not a valid cursor');
    expectBadUserInput(() => pageRequest({ last: 1, before: crafted }, ORDER_KINDS), 'before', 'is not a valid cursor');
    expectBadUserInput(() => pageRequest({ after, before: 'x!' }, ORDER_KINDS), 'before', 'is not a valid cursor');
  });
});

describe('toConnection read backward', () => {
  interface Row {
    id: string;
  }
  // The statement reads a backward page in reverse order: the newest row first.
  const reversed = (count: number): Row[] => Array.from({ length: count }, (_, index) => ({ id: `r${count - 1 - index}` }));
  const keyOf = (row: Row) => [row.id];
  const backward = (size: number, cursors: Partial<Pick<PageRequest, 'after' | 'before'>> = {}): PageRequest => ({
    size,
    backward: true,
    after: null,
    before: null,
    ...cursors,
  });

  it('turns the rows back into list order and puts the extra row on the previous side', () => {
    const connection = toConnection(reversed(4), backward(3), 4, keyOf);
    expect(connection.edges.map((edge) => edge.node.id)).toEqual(['r1', 'r2', 'r3']);
    expect(connection.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect(connection.pageInfo.startCursor).toBe(connection.edges[0].cursor);
    expect(connection.pageInfo.endCursor).toBe(connection.edges[2].cursor);
  });

  it.each<[string, number, number, Partial<PageRequest>, boolean, boolean]>([
    ['last 3 of 3', 3, 3, {}, false, false],
    ['last 3 of 4', 4, 3, {}, true, false],
    ['last 3 before a cursor', 3, 3, { before: ['x'] }, false, true],
    ['last 3 of 4 between cursors', 4, 3, { before: ['x'], after: ['a'] }, true, true],
    ['last 3 of 2 after a cursor', 2, 3, { after: ['a'] }, true, false],
    ['last 0 of a non-empty list', 1, 0, {}, true, false],
    ['last 0 of an empty list', 0, 0, {}, false, false],
  ])('%s: hasPreviousPage %s, hasNextPage %s', (_name, fetched, size, cursors, hasPreviousPage, hasNextPage) => {
    const { pageInfo } = toConnection(reversed(fetched), backward(size, cursors), 9, keyOf);
    expect(pageInfo.hasPreviousPage).toBe(hasPreviousPage);
    expect(pageInfo.hasNextPage).toBe(hasNextPage);
  });

  it.each<[string, number, number, Partial<PageRequest>, boolean, boolean]>([
    ['first 3 of 4', 4, 3, {}, false, true],
    ['first 3 after a cursor, nothing beyond', 3, 3, { after: ['a'] }, true, false],
    ['first 3 before a cursor', 2, 3, { before: ['x'] }, false, true],
    ['first 0 of a non-empty list: rows follow', 1, 0, {}, false, true],
    ['first 0 after the last row: nothing follows', 0, 0, { after: ['z'] }, true, false],
    ['first 0 of an empty list', 0, 0, {}, false, false],
  ])('forward, %s: hasPreviousPage %s, hasNextPage %s', (_name, fetched, size, cursors, hasPreviousPage, hasNextPage) => {
    const rows = Array.from({ length: fetched }, (_, index) => ({ id: `r${index}` }));
    const connection = toConnection(rows, { ...pageFromStart(size), ...cursors }, 9, keyOf);
    expect(connection.pageInfo.hasPreviousPage).toBe(hasPreviousPage);
    expect(connection.pageInfo.hasNextPage).toBe(hasNextPage);
    if (size === 0) expect(connection.pageInfo).toMatchObject({ startCursor: null, endCursor: null });
  });
});
