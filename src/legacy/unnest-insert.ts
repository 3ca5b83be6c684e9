// Writes a batch of rows as one `INSERT … SELECT FROM unnest(…)`, one array parameter per column. Prisma's
// createMany spends most of a large import building per-row placeholders (bench: the importer's profile);
// this statement has as many parameters as the table has columns, whatever the batch size.
//
// A column's type is its PostgreSQL type. Array columns (`text[]`, `"Role"[]`, `int[]`) travel as array
// literals and `jsonb` as JSON text, because unnest cannot take an array of arrays; `timestamptz` and `date`
// values travel as ISO text. An undefined or null value is SQL NULL, so a column default is spelled out in
// `computed` (for example `COALESCE(r."createdAt", now())`).
import type { Prisma } from '../generated/prisma/client.js';

type Transaction = Prisma.TransactionClient;

export type ColumnTypes<Row> = { [K in keyof Row]?: string };

interface InsertOptions {
  /** Columns worked out in SQL from the row `r`, e.g. `{ updatedAt: 'now()' }`; they win over a typed column of the same name. */
  computed?: Record<string, string>;
  /** Typed columns that only feed `computed` or `join` and are not written themselves. */
  inputsOnly?: readonly string[];
  /** Joined to the rows `r`, e.g. `LEFT JOIN "Subscription" s ON s."legacyId" = r."subscriptionLegacyId"`. */
  join?: string;
  /** E.g. `ON CONFLICT DO NOTHING`. */
  onConflict?: string;
}

function arrayLiteral(values: ReadonlyArray<string | number | boolean | null>): string {
  const items = values.map((item) => (item === null ? 'NULL' : `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
  return `{${items.join(',')}}`;
}

function parameter(type: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (type.endsWith('[]')) return arrayLiteral(value as Array<string | number | boolean | null>);
  if (type === 'jsonb') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** The element type each column travels as inside its array parameter. */
function wireType(type: string): string {
  return type.endsWith('[]') || type === 'jsonb' ? 'text' : type;
}

function insertStatement<Row extends object>(table: string, types: ColumnTypes<Row>, rows: readonly Row[], options: InsertOptions) {
  const columns = Object.entries(types as Record<string, string>);
  const computed = options.computed ?? {};
  const inputsOnly = new Set(options.inputsOnly ?? []);
  const parameters = columns.map(([name, type]) => rows.map((row) => parameter(type, (row as Record<string, unknown>)[name])));
  const targets = [...columns.map(([name]) => name).filter((name) => !inputsOnly.has(name)), ...Object.keys(computed).filter((name) => !(name in types))];
  const values = targets.map((name) => {
    if (name in computed) return computed[name];
    const type = (types as Record<string, string>)[name];
    return wireType(type) === type ? `r."${name}"` : `r."${name}"::${type}`;
  });
  const arrays = columns.map(([, type], index) => `$${index + 1}::${wireType(type)}[]`).join(', ');
  const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');
  const source = `unnest(${arrays}) AS r (${quoted(columns.map(([name]) => name))}) ${options.join ?? ''}`;
  const sql = `INSERT INTO "${table}" (${quoted(targets)}) SELECT ${values.join(', ')} FROM ${source} ${options.onConflict ?? ''}`;
  return { sql, parameters };
}

/** Inserts the rows; answers how many went in (fewer when `onConflict` skipped some). */
export async function insertRows<Row extends object>(
  tx: Transaction,
  table: string,
  types: ColumnTypes<Row>,
  rows: readonly Row[],
  options: InsertOptions = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  const { sql, parameters } = insertStatement(table, types, rows, options);
  return tx.$executeRawUnsafe(sql, ...parameters);
}

/** Inserts the rows and answers `returning` of each row that went in. */
export async function insertRowsReturning<Row extends object, Returned>(
  tx: Transaction,
  table: string,
  types: ColumnTypes<Row>,
  rows: readonly Row[],
  returning: string,
  options: InsertOptions = {},
): Promise<Returned[]> {
  if (rows.length === 0) return [];
  const { sql, parameters } = insertStatement(table, types, rows, options);
  return tx.$queryRawUnsafe<Returned[]>(`${sql} RETURNING ${returning}`, ...parameters);
}
