// /readyz: the database answers and every migration in prisma/migrations is applied.
import { readdir } from 'node:fs/promises';
import type { DatabaseHandle } from '../db/client.js';
import { MIGRATIONS_DIR } from '../db/schema-engine.js';

let localMigrations: Promise<string[]> | undefined;

export async function readiness(database: DatabaseHandle): Promise<{ ready: boolean; database: boolean; pendingMigrations: number }> {
  localMigrations ??= readdir(MIGRATIONS_DIR, { withFileTypes: true }).then((entries) =>
    entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
  );
  try {
    const applied = await database.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
    const appliedNames = new Set(applied.map((row) => row.migration_name));
    const pending = (await localMigrations).filter((name) => !appliedNames.has(name)).length;
    return { ready: pending === 0, database: true, pendingMigrations: pending };
  } catch {
    return { ready: false, database: false, pendingMigrations: -1 };
  }
}
