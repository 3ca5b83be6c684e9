// A DataLoader for "a page of children for each parent" (a customer's orders, a supplier's orders):
// every parent asking for the same page arguments in one tick is answered by one statement (each parent's
// page with its count next to it), however many parents there are, so a list of customers with their
// orders is not N+1. A backward page (`last`/`before`) is the same statement read in reverse order.
import DataLoader from 'dataloader';
import { pageRequest, toConnection, type Connection, type CursorKey, type KeyKind, type PageArgs, type PageRequest } from '../../shared/pagination.js';

export type { PageRequest };

interface ParentPageKey<Filter> extends PageRequest {
  parentId: string;
  filter: Filter;
}

export interface PageWithCounts<Row> {
  rows: Row[];
  counts: Map<string, number>;
}

interface ParentPageSource<Filter, Row> {
  /** What each part of a cursor of this list is (its sort columns' kinds). */
  kinds: readonly KeyKind[];
  /** Up to `size + 1` rows per parent between the cursors, in reading order, and each parent's count. */
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
export function pageFromRows<Row extends { id: string | null }, Out>(rows: ParentPageRow<Row>[], toRow: (row: Row) => Out): PageWithCounts<Out> {
  const page: PageWithCounts<Out> = { rows: [], counts: new Map() };
  for (const { parentId, total, ...row } of rows) {
    page.counts.set(parentId, total);
    if (row.id !== null) page.rows.push(toRow(row as unknown as Row));
  }
  return page;
}

interface ParentConnectionLoader<Filter, Row> {
  /** A parent's page; the page arguments are checked first, so bad ones are the caller's error, unbatched. */
  page(parentId: string, args: PageArgs, filter: Filter): Promise<Connection<Row>>;
}

export function createParentConnectionLoader<Filter, Row>(source: ParentPageSource<Filter, Row>): ParentConnectionLoader<Filter, Row> {
  const groupOf = (key: ParentPageKey<Filter>) => JSON.stringify([key.size, key.backward, key.after, key.before, key.filter]);
  const loader = new DataLoader<ParentPageKey<Filter>, Connection<Row>, string>(
    async (keys) => {
      const groups = new Map<string, ParentPageKey<Filter>[]>();
      for (const key of keys) groups.set(groupOf(key), [...(groups.get(groupOf(key)) ?? []), key]);
      const answers = new Map<ParentPageKey<Filter>, Connection<Row>>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { parentId: _parentId, filter, ...request } = group[0];
          const parentIds = [...new Set(group.map((key) => key.parentId))];
          const { rows, counts } = await source.pageWithCounts(parentIds, request, filter);
          const rowsByParent = new Map<string, Row[]>(parentIds.map((id) => [id, []]));
          for (const row of rows) rowsByParent.get(source.parentOf(row))?.push(row);
          for (const key of group) {
            const parentRows = rowsByParent.get(key.parentId) ?? [];
            answers.set(
              key,
              toConnection(parentRows, request, counts.get(key.parentId) ?? 0, (row) => source.keyOf(row)),
            );
          }
        }),
      );
      return keys.map((key) => answers.get(key)!);
    },
    { cacheKeyFn: (key) => `${key.parentId}|${groupOf(key)}` },
  );
  return {
    page: (parentId, args, filter) => loader.load({ parentId, ...pageRequest(args, source.kinds), filter }),
  };
}
