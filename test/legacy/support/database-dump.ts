// Every row of every table, in a stable order: "a second import changes nothing" is checked on this.
import type { PrismaClient } from '../../../src/generated/prisma/client.js';

export async function dumpDatabase(prisma: PrismaClient): Promise<Record<string, string[]>> {
  const tables = await prisma.$queryRawUnsafe<Array<{ table_name: string }>>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
     ORDER BY table_name`,
  );
  const dump: Record<string, string[]> = {};
  for (const { table_name: table } of tables) {
    const rows = await prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`SELECT * FROM "${table}"`);
    dump[table] = rows.map((row) => JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))).sort();
  }
  return dump;
}

export function rowCounts(dump: Record<string, string[]>): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.length]));
}
