// A DataLoader for "a page of children for each parent" (a customer's orders, a supplier's orders):
// every parent asking for the same page arguments in one tick is answered by one page query and one
// count query (or one statement for both), however many parents there are, so a list of customers with
// their orders is not N+1.
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

interface RowIdentity<Row> {
  parentOf(row: Row): string;
  keyOf(row: Row): CursorKey;
}

/** The page and the counts as two statements (run side by side)… */
interface SeparateCounts<Filter, Row> extends RowIdentity<Row> {
  /** Up to `size + 1` rows per parent after the cursor, in page order. */
  page(parentIds: string[], request: PageRequest, filter: Filter): Promise<Row[]>;
  count(parentIds: string[], filter: Filter): Promise<Map<string, number>>;
}

/** …or as one (a count per parent next to its page), which saves a statement per connection. */
interface CombinedCounts<Filter, Row> extends RowIdentity<Row> {
  pageWithCounts(parentIds: string[], request: PageRequest, filter: Filter): Promise<PageWithCounts<Row>>;
}

export type ParentPageSource<Filter, Row> = SeparateCounts<Filter, Row> | CombinedCounts<Filter, Row>;

function readPage<Filter, Row>(source: ParentPageSource<Filter, Row>, parentIds: string[], request: PageRequest, filter: Filter): Promise<PageWithCounts<Row>> {
  if ('pageWithCounts' in source) return source.pageWithCounts(parentIds, request, filter);
  return Promise.all([source.page(parentIds, request, filter), source.count(parentIds, filter)]).then(([rows, counts]) => ({ rows, counts }));
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
          const { rows, counts } = await readPage(source, parentIds, { size, after }, filter);
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
