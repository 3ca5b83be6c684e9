// The two commands as an operator runs them: arguments, exit codes, the printed and written report.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { createServerDatabase, testDatabaseTarget } from '../support/database.js';
import { SAMPLE_DIRECTORY } from './support/export-fixture.js';
import { EXPECTED } from './support/sample-expectations.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
let workspace: string;
let databaseUrl: string | undefined;
let dropServerDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'legacy-cli-'));
  if (testDatabaseTarget() === 'postgres') {
    const created = await createServerDatabase('legacy_cli');
    databaseUrl = created.url;
    dropServerDatabase = () => created.drop();
  }
});
afterAll(async () => {
  await dropServerDatabase?.();
  await rm(workspace, { recursive: true, force: true });
});

async function command(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const environment: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'test',
    DATA_DIR: path.join(workspace, 'data'),
  };
  if (databaseUrl) environment.DATABASE_URL = databaseUrl;
  try {
    const { stdout, stderr } = await run(TSX, [path.join(ROOT, 'scripts', script), ...args], { cwd: workspace, env: environment });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

async function openSameDatabase() {
  return openDatabase(databaseUrl ? { url: databaseUrl } : { dataDir: path.join(workspace, 'data') });
}

describe('npm run legacy:import and legacy:verify', () => {
  it('refuse bad arguments with a message and exit code 2', async () => {
    for (const args of [
      [],
      ['--dir', path.join(workspace, 'nope')],
      ['--dir', SAMPLE_DIRECTORY, '--as-of', '30/06/2026'],
      ['--dir', SAMPLE_DIRECTORY, '--bogus'],
    ]) {
      const result = await command('legacy-import.ts', args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/legacy:import: .+\nusage: npm run legacy:import/);
    }
    expect((await command('legacy-verify.ts', ['--what'])).code).toBe(2);
  }, 120_000);

  it('dry-runs, imports, and verifies; verify fails once a rule is broken', async () => {
    const dry = await command('legacy-import.ts', ['--dir', SAMPLE_DIRECTORY, '--as-of', '2026-06-30T00:00:00Z', '--dry-run', '--report', 'dry.json']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/DRY RUN: nothing written/);
    const dryReport = JSON.parse(await readFile(path.join(workspace, 'dry.json'), 'utf8'));
    expect(dryReport.customers).toEqual(EXPECTED.customers);

    const real = await command('legacy-import.ts', ['--dir', SAMPLE_DIRECTORY, '--as-of', '2026-06-30T00:00:00Z']);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/customers +imported 30, merged 7, createdFromUsers 3, quarantined 1/);
    const realReport = JSON.parse(await readFile(path.join(workspace, 'legacy-import-report.json'), 'utf8'));
    expect({ ...dryReport, dryRun: false }).toEqual(realReport);

    const healthy = await command('legacy-verify.ts', []);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).not.toMatch(/FAIL/);

    const database = await openSameDatabase();
    try {
      const customer = await database.prisma.customer.findFirstOrThrow({ where: { legacyIds: { has: 'CUST_0003_0' } } });
      await database.prisma.user.update({ where: { id: customer.userId }, data: { status: 'ARCHIVED' } });
    } finally {
      await database.close();
    }
    const broken = await command('legacy-verify.ts', []);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FAIL every customer has a user \(1\)\n\s+customer [0-9a-f-]+ \(CUST_0003_0\)/);
  }, 240_000);

  it('verify fails while an import is unfinished, and the same import again completes it', async () => {
    // The import above finished; a run left as a crash leaves it (its finish never written).
    const database = await openSameDatabase();
    let run;
    try {
      [run] = await database.prisma.importRun.findMany();
      expect(run.finishedAt).not.toBeNull();
      await database.prisma.importRun.update({ where: { id: run.id }, data: { finishedAt: null } });
    } finally {
      await database.close();
    }
    const unfinished = await command('legacy-verify.ts', []);
    expect(unfinished.code).toBe(1);
    expect(unfinished.stdout).toContain(
      `FAIL every import finished (1)\n       import ${run.id} started ${run.startedAt.toISOString()} (export digest ${run.exportDigest.slice(0, 12)}, 1 attempt) never finished: ` +
        'the data is incomplete; run `npm run legacy:import -- --dir <folder>` again with the same export to complete it',
    );
    const again = await command('legacy-import.ts', ['--dir', SAMPLE_DIRECTORY, '--as-of', '2026-06-30T00:00:00Z']);
    expect(again.code).toBe(0);
    const verified = await command('legacy-verify.ts', []);
    expect(verified.stdout).toMatch(/^ok {3}every import finished$/m);
    expect(verified.stdout).toMatch(/FAIL every customer has a user \(1\)/); // the rule broken above stays broken
  }, 240_000);
});
