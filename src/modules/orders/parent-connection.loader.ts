// A DataLoader for "a page of children for each parent" (a customer's orders, a supplier's orders):
// every parent asking for the same page arguments in one tick is answered by one page query and one
// count query, however many parents there are, so a list of customers with their orders is not N+1.
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

export interface ParentPageSource<Filter, Row> {
  /** Up to `size + 1` rows per parent after the cursor, in page order. */
  page(parentIds: string[], request: PageRequest, filter: Filter): Promise<Row[]>;
  count(parentIds: string[], filter: Filter): Promise<Map<string, number>>;
  parentOf(row: Row): string;
  keyOf(row: Row): CursorKey;
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
          const [rows, counts] = await Promise.all([source.page(parentIds, { size, after }, filter), source.count(parentIds, filter)]);
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
