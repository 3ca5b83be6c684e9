// A database of its own for each bench run: a new database on the PostgreSQL server (BENCH_DATABASE_URL,
// else the local server) that is dropped afterwards, or a PGlite folder for the smoke run (no server).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';

export const LOCAL_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export type BenchDatabaseTarget = { kind: 'postgres'; adminUrl: string } | { kind: 'pglite' };

export interface BenchDatabase {
  readonly kind: 'postgres' | 'pglite';
  /** The connection string (PostgreSQL only): servers under test get it as DATABASE_URL. */
  readonly url?: string;
  /** The PGlite folder (PGlite only): servers under test get it as DATA_DIR. */
  readonly dataDir?: string;
  /** Environment that points a child process of this project at the database. */
  readonly environment: Record<string, string>;
  open(poolSize?: number): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database (migrated) and returns how to reach it. */
export async function createBenchDatabase(target: BenchDatabaseTarget, prefix = 'bench'): Promise<BenchDatabase> {
  if (target.kind === 'pglite') {
    const folder = await mkdtemp(path.join(os.tmpdir(), `${prefix}-pglite-`));
    const handle = await openDatabase({ dataDir: folder });
    await applyMigrations(handle.adapterFactory);
    await handle.close();
    return {
      kind: 'pglite',
      dataDir: folder,
      environment: { DATA_DIR: folder },
      open: () => openDatabase({ dataDir: folder }),
      drop: () => rm(folder, { recursive: true, force: true }),
    };
  }
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdmin(target.adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(target.adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const drop = () => withAdmin(target.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined);
  const handle = await openDatabase({ url: databaseUrl, poolSize: 2 });
  try {
    await applyMigrations(handle.adapterFactory);
  } catch (error) {
    await handle.close();
    await drop();
    throw error;
  }
  await handle.close();
  return {
    kind: 'postgres',
    url: databaseUrl,
    environment: { DATABASE_URL: databaseUrl },
    open: (poolSize = 4) => openDatabase({ url: databaseUrl, poolSize }),
    drop,
  };
}

/** Planner statistics after bulk inserts, so the first measured requests do not run on a cold guess. */
export async function analyze(database: DatabaseHandle): Promise<void> {
  await database.prisma.$executeRawUnsafe('ANALYZE');
}
