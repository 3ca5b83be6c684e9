// The keyset conditions of a page: forward follows the sort, backward reads against it, and each cursor
// bounds its own side, in Prisma `where`s and in the raw SQL of the parent pages.
import { describe, expect, it } from 'vitest';
import { keysetOrderBy, keysetWhere, pageSqlConditions, pageSqlOrder, pageWhere, type SortColumn } from '../../src/db/keyset.js';
import type { PageRequest } from '../../src/shared/pagination.js';

const NEWEST_FIRST: SortColumn[] = [
  { field: 'placedAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'uuid' },
];
const OLDEST_FIRST: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc', kind: 'uuid' },
];
const KEY = ['2026-06-15T06:30:00.000Z', '01900000-0000-7000-8000-00000000000a'];
const OTHER = ['2026-06-16T06:30:00.000Z', '01900000-0000-7000-8000-00000000000b'];
const at = (iso: string) => new Date(iso);
const page = (request: Partial<PageRequest>): PageRequest => ({ size: 3, backward: false, after: null, before: null, ...request });

describe('keysetWhere', () => {
  it('after a key of a descending sort is "less than", before it "greater than"', () => {
    expect(keysetWhere(NEWEST_FIRST, KEY, 'after')).toEqual({
      OR: [{ placedAt: { lt: at(KEY[0]) } }, { placedAt: at(KEY[0]), id: { lt: KEY[1] } }],
    });
    expect(keysetWhere(NEWEST_FIRST, KEY, 'before')).toEqual({
      OR: [{ placedAt: { gt: at(KEY[0]) } }, { placedAt: at(KEY[0]), id: { gt: KEY[1] } }],
    });
  });

  it('after a key of an ascending sort is "greater than", before it "less than"', () => {
    expect(keysetWhere(OLDEST_FIRST, KEY)).toEqual({ OR: [{ createdAt: { gt: at(KEY[0]) } }, { createdAt: at(KEY[0]), id: { gt: KEY[1] } }] });
    expect(keysetWhere(OLDEST_FIRST, KEY, 'before')).toEqual({ OR: [{ createdAt: { lt: at(KEY[0]) } }, { createdAt: at(KEY[0]), id: { lt: KEY[1] } }] });
  });
});

describe('pageWhere and keysetOrderBy', () => {
  it('gives one bound per cursor sent', () => {
    expect(pageWhere(OLDEST_FIRST, page({}))).toEqual([]);
    expect(pageWhere(OLDEST_FIRST, page({ after: KEY }))).toEqual([keysetWhere(OLDEST_FIRST, KEY, 'after')]);
    expect(pageWhere(OLDEST_FIRST, page({ after: KEY, before: OTHER }))).toEqual([
      keysetWhere(OLDEST_FIRST, KEY, 'after'),
      keysetWhere(OLDEST_FIRST, OTHER, 'before'),
    ]);
  });

  it('reverses the sort for a backward page', () => {
    expect(keysetOrderBy(OLDEST_FIRST)).toEqual([{ createdAt: 'asc' }, { id: 'asc' }]);
    expect(keysetOrderBy(OLDEST_FIRST, true)).toEqual([{ createdAt: 'desc' }, { id: 'desc' }]);
    expect(keysetOrderBy(NEWEST_FIRST, true)).toEqual([{ placedAt: 'asc' }, { id: 'asc' }]);
  });
});

describe('raw SQL pages', () => {
  it('compare the key as one row value, cast to the columns types', () => {
    const [after, before] = pageSqlConditions('o', NEWEST_FIRST, page({ after: KEY, before: OTHER }));
    expect(after.sql).toBe('(o."placedAt",o."id") < (?::timestamptz,?::uuid)');
    expect(after.values).toEqual([at(KEY[0]), KEY[1]]);
    expect(before.sql).toBe('(o."placedAt",o."id") > (?::timestamptz,?::uuid)');
    expect(before.values).toEqual([at(OTHER[0]), OTHER[1]]);
    expect(pageSqlConditions('s', OLDEST_FIRST, page({ after: KEY }))[0].sql).toBe('(s."createdAt",s."id") > (?::timestamptz,?::uuid)');
    expect(pageSqlConditions('s', OLDEST_FIRST, page({}))).toEqual([]);
  });

  it('order forward by the sort and backward by its reverse', () => {
    expect(pageSqlOrder('o', NEWEST_FIRST, false).sql).toBe('o."placedAt" DESC,o."id" DESC');
    expect(pageSqlOrder('o', NEWEST_FIRST, true).sql).toBe('o."placedAt" ASC,o."id" ASC');
    expect(pageSqlOrder('s', OLDEST_FIRST, true).sql).toBe('s."createdAt" DESC,s."id" DESC');
  });

  it('refuse a sort whose columns run different ways, which one row comparison cannot express', () => {
    const mixed: SortColumn[] = [NEWEST_FIRST[0], OLDEST_FIRST[1]];
    expect(() => pageSqlConditions('o', mixed, page({ after: KEY }))).toThrow(/one direction/);
  });
});
