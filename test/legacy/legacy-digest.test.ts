// scripts/legacy-digest.ts as it is used to compare two importers: the same export imported into two
// databases digests the same, table by table, although every row id differs; one changed value changes
// its table's digest and no other. PostgreSQL only (the script reads DATABASE_URL).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, testDatabaseTarget, type ServerDatabase } from '../support/database.js';
import { SAMPLE_DIRECTORY } from './support/export-fixture.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const onPostgres = testDatabaseTarget() === 'postgres';

type Digests = Record<string, { rows: number; sha256: string }>;

async function script(name: string, args: string[], database: ServerDatabase, cwd: string): Promise<string> {
  const environment = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'test', ...database.environment };
  const { stdout } = await run(TSX, [path.join(ROOT, 'scripts', name), ...args], { cwd, env: environment });
  return stdout;
}

describe.runIf(onPostgres)('the digest of an imported database', () => {
  let workspace: string;
  const databases: ServerDatabase[] = [];

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'legacy-digest-'));
    for (const prefix of ['legacy_digest_a', 'legacy_digest_b']) databases.push(await createServerDatabase(prefix));
  });
  afterAll(async () => {
    for (const database of databases) await database.drop();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('is the same for two imports of one export, and a changed value shows in its table only', async () => {
    const digests: Digests[] = [];
    for (const database of databases) {
      await script(
        'legacy-import.ts',
        ['--dir', SAMPLE_DIRECTORY, '--as-of', '2026-06-30T00:00:00Z', '--report', path.join(workspace, 'report.json')],
        database,
        workspace,
      );
      digests.push(JSON.parse(await script('legacy-digest.ts', ['--json'], database, workspace)) as Digests);
    }
    const [first, second] = digests;
    expect(second).toEqual(first);
    expect(first.Customer.rows).toBeGreaterThan(0);
    expect(first.Order.rows).toBeGreaterThan(0);
    expect(first.LegacyLink.rows).toBeGreaterThan(0);
    expect(Object.keys(first)).not.toContain('ImportRun');

    const client = new pg.Client({ connectionString: databases[1].directUrl });
    await client.connect();
    try {
      await client.query(`UPDATE "Customer" SET "area" = 'Elsewhere' WHERE "id" = (SELECT min("id"::text)::uuid FROM "Customer")`);
    } finally {
      await client.end();
    }
    const changed = JSON.parse(await script('legacy-digest.ts', ['--json'], databases[1], workspace)) as Digests;
    const differing = Object.keys(first).filter((table) => first[table].sha256 !== changed[table].sha256);
    expect(differing).toEqual(['Customer']);
  });

  it('refuses a database that is not PostgreSQL', async () => {
    const failure = await run(TSX, [path.join(ROOT, 'scripts', 'legacy-digest.ts')], {
      cwd: workspace,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: 'file:./data' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('DATABASE_URL must name a PostgreSQL database') });
  });
});
