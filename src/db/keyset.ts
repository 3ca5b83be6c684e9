// Keyset pagination under a multi-column sort: (a, b) after (x, y) in descending order is
// `a < x OR (a = x AND b < y)`; "before" flips each comparison, and a backward page reads in reverse order.
import { Prisma } from '../generated/prisma/client.js';
import type { CursorKey, KeyKind, PageRequest } from '../shared/pagination.js';
import type { ReadBatch } from './read-batch.js';

export interface SortColumn {
  field: string;
  direction: 'asc' | 'desc';
  /** What the cursor stores for this column (dates travel as ISO strings); cursors are checked against it. */
  kind: KeyKind;
}

type Side = 'after' | 'before';

export const keyKinds = (columns: readonly SortColumn[]): KeyKind[] => columns.map((column) => column.kind);

const valueOf = (column: SortColumn, part: string | number | null) => (column.kind === 'date' ? new Date(String(part)) : part);

/** Is the column read ascending on this side? After a cursor follows the sort; before it goes against it. */
const isAscending = (column: SortColumn, side: Side) => (column.direction === 'asc') === (side === 'after');

export function keysetWhere(columns: readonly SortColumn[], key: CursorKey, side: Side = 'after') {
  const branches = columns.map((column, index) => {
    const equalities = Object.fromEntries(columns.slice(0, index).map((previous, i) => [previous.field, valueOf(previous, key[i])]));
    return { ...equalities, [column.field]: { [isAscending(column, side) ? 'gt' : 'lt']: valueOf(column, key[index]) } };
  });
  return { OR: branches };
}

/** The Prisma `where` of a page's cursors (both when both are given), to be AND-ed with the list's scope. */
export function pageWhere(columns: readonly SortColumn[], request: PageRequest) {
  const bounds = [];
  if (request.after) bounds.push(keysetWhere(columns, request.after, 'after'));
  if (request.before) bounds.push(keysetWhere(columns, request.before, 'before'));
  return bounds;
}

/** The sort, reversed for a backward page (its rows are turned back by toConnection). */
export function keysetOrderBy(columns: readonly SortColumn[], backward = false) {
  return columns.map((column) => ({ [column.field]: (column.direction === 'desc') !== backward ? 'desc' : 'asc' }));
}

export function keyOf(columns: readonly SortColumn[], row: Record<string, unknown>): (string | number | null)[] {
  return columns.map((column) => {
    const value = row[column.field];
    if (value instanceof Date) return value.toISOString();
    return (value ?? null) as string | number | null;
  });
}

// Raw SQL pages (the LATERAL statements of the parent pages) compare the key as one row value,
// `(o."placedAt", o."id") < ($1, $2)`, which matches the sort only when every column runs the same way.
function sameDirection(columns: readonly SortColumn[]): 'asc' | 'desc' {
  const direction = columns[0].direction;
  if (columns.some((column) => column.direction !== direction)) throw new Error('a raw keyset needs one direction for every column');
  return direction;
}

const columnSql = (alias: string, column: SortColumn) => Prisma.raw(`${alias}."${column.field}"`);

function partSql(column: SortColumn, part: string | number | null): Prisma.Sql {
  if (column.kind === 'date') return Prisma.sql`${new Date(String(part))}::timestamptz`;
  if (column.kind === 'uuid') return Prisma.sql`${String(part)}::uuid`;
  return Prisma.sql`${part}`;
}

/** The SQL conditions of a page's cursors over the columns of table `alias`. */
export function pageSqlConditions(alias: string, columns: readonly SortColumn[], request: PageRequest): Prisma.Sql[] {
  const direction = sameDirection(columns);
  const row = Prisma.join(columns.map((column) => columnSql(alias, column)));
  const bound = (key: CursorKey, side: Side) => {
    const operator = Prisma.raw((direction === 'asc') === (side === 'after') ? '>' : '<');
    return Prisma.sql`(${row}) ${operator} (${Prisma.join(columns.map((column, index) => partSql(column, key[index])))})`;
  };
  const conditions: Prisma.Sql[] = [];
  if (request.after) conditions.push(bound(request.after, 'after'));
  if (request.before) conditions.push(bound(request.before, 'before'));
  return conditions;
}

/** `ORDER BY` of a raw page in reading order: the sort, or its reverse for a backward page. */
export function pageSqlOrder(alias: string, columns: readonly SortColumn[], backward: boolean): Prisma.Sql {
  sameDirection(columns);
  return Prisma.join(
    columns.map((column) => Prisma.sql`${columnSql(alias, column)} ${Prisma.raw((column.direction === 'desc') !== backward ? 'DESC' : 'ASC')}`),
  );
}

/**
 * A page of a whole table's rows under `scope` (conditions over alias `t`), up to `size + 1` in reading
 * order, and the count of the whole list: two reads of one ReadBatch, so one statement.
 */
export async function readTablePage<Row extends object>(
  reads: ReadBatch,
  table: string,
  columns: readonly SortColumn[],
  request: PageRequest,
  scope: readonly Prisma.Sql[],
  revive: (row: Row) => Row,
): Promise<{ rows: Row[]; totalCount: number }> {
  const whereOf = (conditions: readonly Prisma.Sql[]) => (conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty);
  const from = Prisma.raw(`"${table}" t`);
  const [rows, [count]] = await Promise.all([
    reads.rows<Row>(Prisma.sql`
      SELECT t.* FROM ${from} ${whereOf([...scope, ...pageSqlConditions('t', columns, request)])}
      ORDER BY ${pageSqlOrder('t', columns, request.backward)} LIMIT ${request.size + 1}`),
    reads.rows<{ n: number }>(Prisma.sql`SELECT count(*)::int AS n FROM ${from} ${whereOf(scope)}`),
  ]);
  return { rows: rows.map(revive), totalCount: count.n };
}
