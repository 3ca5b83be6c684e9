// A DataLoader for "a page of children for each parent" (a customer's orders, a supplier's orders):
// every parent asking for the same page arguments in one tick is answered by one statement (each parent's
// page with its count next to it), however many parents there are, so a list of customers with their
// orders is not N+1.
import DataLoader from 'dataloader';
import { decodeCursor, pageSize, toConnection, type Connection, type CursorKey } from '../../shared/pagination.js';

export interface PageRequest {
  size: number;
  after: CursorKey | null;
}

export interface ParentPageKey<Filter> extends PageRequest {
  parentId: string;
  filter: Filter;
}

export interface PageWithCounts<Row> {
  rows: Row[];
  counts: Map<string, number>;
}

export interface ParentPageSource<Filter, Row> {
  /** Up to `size + 1` rows per parent after the cursor, in page order, and each parent's count. */
  pageWithCounts(parentIds: string[], request: PageRequest, filter: Filter): Promise<PageWithCounts<Row>>;
  parentOf(row: Row): string;
  keyOf(row: Row): CursorKey;
}

/** A page statement's row: the parent it was read for, that parent's count, and the child (all null when none). */
export type ParentPageRow<Row> = Row & { parentId: string; total: number };

/**
 * Splits the rows of a page statement (`unnest(parents)` with a LATERAL count and a LEFT JOIN LATERAL
 * page, so a parent without children still brings its count in one all-null row) into rows and counts.
 */
export function pageFromRows<Row extends { id: string | null }, Out>(
  rows: ParentPageRow<Row>[],
  toRow: (row: Row) => Out,
): PageWithCounts<Out> {
  const page: PageWithCounts<Out> = { rows: [], counts: new Map() };
  for (const { parentId, total, ...row } of rows) {
    page.counts.set(parentId, total);
    if (row.id !== null) page.rows.push(toRow(row as unknown as Row));
  }
  return page;
}

/** Validates `first` and `after` before anything is batched: bad arguments are the caller's error. */
export function pageRequest(first: number | null | undefined, after: string | null | undefined, arity: number): PageRequest {
  return { size: pageSize(first), after: after ? decodeCursor('after', after, arity) : null };
}

export function createParentConnectionLoader<Filter, Row>(source: ParentPageSource<Filter, Row>) {
  const groupOf = (key: ParentPageKey<Filter>) => JSON.stringify([key.size, key.after, key.filter]);
  return new DataLoader<ParentPageKey<Filter>, Connection<Row>, string>(
    async (keys) => {
      const groups = new Map<string, ParentPageKey<Filter>[]>();
      for (const key of keys) groups.set(groupOf(key), [...(groups.get(groupOf(key)) ?? []), key]);
      const answers = new Map<ParentPageKey<Filter>, Connection<Row>>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { size, after, filter } = group[0];
          const parentIds = [...new Set(group.map((key) => key.parentId))];
          const { rows, counts } = await source.pageWithCounts(parentIds, { size, after }, filter);
          const rowsByParent = new Map<string, Row[]>(parentIds.map((id) => [id, []]));
          for (const row of rows) rowsByParent.get(source.parentOf(row))?.push(row);
          for (const key of group) {
            const parentRows = rowsByParent.get(key.parentId) ?? [];
            answers.set(key, toConnection(parentRows, size, counts.get(key.parentId) ?? 0, source.keyOf));
          }
        }),
      );
      return keys.map((key) => answers.get(key)!);
    },
    { cacheKeyFn: (key) => `${key.parentId}|${groupOf(key)}` },
  );
}
