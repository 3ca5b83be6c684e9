// npm run legacy:digest [-- --json]
// A digest of every table of the configured PostgreSQL database (DATABASE_URL), made to compare what two
// imports of the same export wrote: row ids are random, so every id is replaced by what it stands for (the
// legacy record its LegacyLink or legacyId names, else `*`), the columns an import sets to its own clock
// are left out, a time that a column's `now()` default filled in while an import ran reads `(import)`, and
// each table's rows are sorted before hashing. Two imports that wrote the same rows
// print the same digests. Exit codes: 0 printed, 2 bad arguments or no database.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';

/** Tables that record the import itself rather than the data, and columns the importer sets to its own clock. */
const SKIPPED_TABLES = new Set(['_prisma_migrations', 'ImportRun', 'ActivationTallyChange']);
const CLOCK_COLUMNS: Record<string, readonly string[]> = { '*': ['updatedAt'], AuditLog: ['at'] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function fail(message: string): never {
  process.stderr.write(`legacy-digest: ${message}\nusage: npm run legacy:digest [-- --json]\n`);
  process.exit(2);
}

/** Every id that a LegacyLink or a legacyId column names, as the legacy record it came from. */
async function idLabels(client: pg.Client, tables: readonly string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const links = await client.query<{ entityId: string; label: string }>(
    `SELECT "entityId", min("collection" || '|' || "legacyId") AS label FROM "LegacyLink" GROUP BY "entityId"`,
  );
  for (const row of links.rows) labels.set(row.entityId, row.label);
  for (const table of tables) {
    const columns = await client.query(
      `SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'legacyId'`,
      [table],
    );
    if (columns.rowCount === 0 || table.startsWith('Legacy')) continue;
    const rows = await client.query<{ id: string; legacyId: string }>(`SELECT "id", "legacyId" FROM "${table}" WHERE "legacyId" IS NOT NULL`);
    for (const row of rows.rows) labels.set(row.id, `${table}|${row.legacyId}`);
  }
  return labels;
}

function canonical(value: unknown, labels: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return UUID.test(value) ? (labels.get(value) ?? '*') : value;
  if (Array.isArray(value)) return value.map((item) => canonical(item, labels));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) => (left < right ? -1 : 1));
    return Object.fromEntries(entries.map(([key, item]) => [key, canonical(item, labels)]));
  }
  return value;
}

async function main(): Promise<void> {
  let json = false;
  try {
    ({
      values: { json = false },
    } = parseArgs({ strict: true, allowPositionals: false, options: { json: { type: 'boolean' } } }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const url = process.env.DATABASE_URL;
  if (!url?.startsWith('postgres')) fail('DATABASE_URL must name a PostgreSQL database');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tableRows = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const tables = tableRows.rows.map((row) => row.table_name).filter((table) => !SKIPPED_TABLES.has(table));
    const labels = await idLabels(client, tables);
    // The imports' own time: from the first run's start to the last one's end (now while one is unfinished).
    // Legacy times are copied as they are, and may lie anywhere, also in the future.
    const runs = await client.query<{ started: Date | null; finished: Date | null }>(
      `SELECT min("startedAt") AS started, max(COALESCE("finishedAt", now())) AS finished FROM "ImportRun"`,
    );
    const importStarted = runs.rows[0]?.started?.getTime() ?? Number.POSITIVE_INFINITY;
    const importFinished = runs.rows[0]?.finished?.getTime() ?? Number.NEGATIVE_INFINITY;
    const defaulted = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND (column_default ILIKE '%current_timestamp%' OR column_default ILIKE '%now()%')`,
    );
    const clockDefaults = new Map<string, string[]>();
    for (const { table_name: table, column_name: column } of defaulted.rows) clockDefaults.set(table, [...(clockDefaults.get(table) ?? []), column]);
    const digests: Record<string, { rows: number; sha256: string }> = {};
    for (const table of tables) {
      const skipped = [...CLOCK_COLUMNS['*'], ...(CLOCK_COLUMNS[table] ?? [])];
      const result = await client.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM "${table}" t`);
      const lines = result.rows.map(({ row }) => {
        for (const column of skipped) delete row[column];
        for (const column of clockDefaults.get(table) ?? []) {
          const value = row[column];
          const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
          if (time >= importStarted && time <= importFinished) row[column] = '(import)';
        }
        return JSON.stringify(canonical(row, labels));
      });
      lines.sort();
      const hash = createHash('sha256');
      for (const line of lines) hash.update(line).update('\n');
      digests[table] = { rows: lines.length, sha256: hash.digest('hex') };
    }
    if (json) process.stdout.write(`${JSON.stringify(digests, null, 1)}\n`);
    else
      for (const [table, digest] of Object.entries(digests)) process.stdout.write(`${table.padEnd(24)} ${String(digest.rows).padStart(8)}  ${digest.sha256}\n`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`legacy-digest failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
