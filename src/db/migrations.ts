// Applying, creating and checking migrations in Prisma's own format (prisma/migrations/<name>/migration.sql
// plus migration_lock.toml), so `prisma migrate deploy` keeps working wherever the native engine exists.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { MIGRATION_LOCK, MIGRATIONS_DIR, NO_FILTERS, openSchemaEngine, readMigrationList, readSchemaFile } from './schema-engine.js';

/**
 * Applies the pending migrations. The schema engine serialises instances with a session-level advisory
 * lock that it never releases itself, so every connection it opened is closed here once it is done: the
 * lock goes with the connection, and an instance starting later (a rolling deploy) is not kept waiting.
 */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory, migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  const connections = closingEveryConnection(adapterFactory);
  try {
    const engine = await openSchemaEngine(connections.factory);
    try {
      const result = await engine.applyMigrations({
        migrationsList: await readMigrationList(migrationsDir),
        filters: NO_FILTERS,
      });
      return result.appliedMigrationNames;
    } finally {
      engine.free();
    }
  } finally {
    await connections.closeAll();
  }
}

/** The factory, remembering each adapter it hands out so that all of them can be disposed at the end. */
function closingEveryConnection(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened = new Set<SqlDriverAdapter>();
  const remember = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = await connect();
    opened.add(adapter);
    return adapter;
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => remember(() => factory.connect()),
      connectToShadowDb: () => remember(() => factory.connectToShadowDb()),
    } satisfies SqlMigrationAwareDriverAdapterFactory,
    async closeAll() {
      const adapters = [...opened];
      opened.clear();
      // An adapter the engine already disposed may refuse a second dispose; that is not a failure here.
      await Promise.all(adapters.map((adapter) => adapter.dispose().catch(() => {})));
    },
  };
}

/** SQL that would bring the migrations up to schema.prisma, or null when they already match it. */
export async function diffMigrationsToSchema(migrationsDir = MIGRATIONS_DIR): Promise<string | null> {
  // A PGlite adapter gives the engine an in-memory shadow database to replay the migrations on.
  const shadow = new PGlite();
  const engine = await openSchemaEngine(new PrismaPGlite(shadow));
  try {
    const schema = await readSchemaFile();
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await readMigrationList(migrationsDir)) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : null;
  } finally {
    engine.free();
    await shadow.close();
  }
}

export async function createMigration(name: string, now = new Date()): Promise<string | null> {
  const sql = await diffMigrationsToSchema();
  if (sql === null) return null;
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'migration';
  const directory = path.join(MIGRATIONS_DIR, `${stamp}_${slug}`);
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, 'migration.sql'), sql);
  await writeFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), MIGRATION_LOCK);
  return directory;
}
