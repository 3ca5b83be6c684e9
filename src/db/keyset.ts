// The Prisma `where` for "rows after this cursor key" under a multi-column sort (keyset pagination):
// (a, b) after (x, y) in descending order is `a < x OR (a = x AND b < y)`.
export interface SortColumn {
  field: string;
  direction: 'asc' | 'desc';
  /** How the cursor stores the value: dates travel as ISO strings. */
  kind?: 'date' | 'scalar';
}

export function keysetWhere(columns: readonly SortColumn[], key: readonly (string | number | null)[]) {
  const value = (index: number) =>
    columns[index].kind === 'date' ? new Date(String(key[index])) : key[index];
  const branches = columns.map((column, index) => {
    const equalities = Object.fromEntries(columns.slice(0, index).map((previous, i) => [previous.field, value(i)]));
    return { ...equalities, [column.field]: { [column.direction === 'desc' ? 'lt' : 'gt']: value(index) } };
  });
  return { OR: branches };
}

export function keysetOrderBy(columns: readonly SortColumn[]) {
  return columns.map((column) => ({ [column.field]: column.direction }));
}

export function keyOf(columns: readonly SortColumn[], row: Record<string, unknown>): (string | number | null)[] {
  return columns.map((column) => {
    const value = row[column.field];
    if (value instanceof Date) return value.toISOString();
    return (value ?? null) as string | number | null;
  });
}
