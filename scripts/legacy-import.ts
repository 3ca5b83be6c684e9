// npm run legacy:import -- --dir <folder> [--dry-run] [--as-of <ISO date-time>] [--report <file>] [--batch-size N]
// SPEC §9. Exit codes: 0 imported (problems are in the report), 1 the import failed, 2 bad arguments.
import { stat, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { loadConfig } from '../src/config/env.js';
import { openDatabaseOrExit } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { formatReport } from '../src/legacy/import-report.js';
import { ImportConflictError } from '../src/legacy/import-writer.js';
import { silentProgress } from '../src/legacy/progress.js';
import { runLegacyImport } from '../src/legacy/run-import.js';
import { createTerminalProgress } from '../src/legacy/terminal-progress.js';

const USAGE = 'usage: npm run legacy:import -- --dir <folder> [--dry-run] [--as-of <ISO date-time>] [--report <file>] [--batch-size <n>]';

interface ImportArguments {
  directory: string;
  dryRun: boolean;
  asOf: Date;
  reportFile: string;
  batchSize: number;
}

function fail(message: string): never {
  process.stderr.write(`legacy:import: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function readArguments(argv: string[]): Promise<ImportArguments> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        dir: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'as-of': { type: 'string' },
        report: { type: 'string', default: 'legacy-import-report.json' },
        'batch-size': { type: 'string', default: '500' },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (!values.dir) fail('--dir is required');
  const directory = await stat(values.dir).catch(() => null);
  if (!directory?.isDirectory()) fail(`--dir ${values.dir} is not a folder`);
  // A zone is required: an as-of without one would silently mean the machine's local time.
  const asOfText = values['as-of'];
  if (asOfText !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(asOfText)) {
    fail(`--as-of ${asOfText} is not an ISO date-time with a zone (e.g. 2026-06-30T00:00:00Z)`);
  }
  const asOf = asOfText === undefined ? new Date() : new Date(asOfText);
  if (Number.isNaN(asOf.getTime())) fail(`--as-of ${asOfText} is not a valid date-time`);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) fail('--batch-size must be a whole number from 1 to 10000');
  return { directory: values.dir, dryRun: values['dry-run'] ?? false, asOf, reportFile: values.report, batchSize };
}

/**
 * The import's memory is mostly its plan, which lives until the last order is written. Left alone, V8 lets
 * the heap grow to two or three times what is live between full collections; growing it by a quarter at
 * most keeps the process near its live size, for a few more (concurrent) collections.
 */
const HEAP_GROWING_PERCENT = 25;

async function main(): Promise<void> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const options = await readArguments(process.argv.slice(2));
  const config = loadConfig();
  const progress = process.stderr.isTTY ? createTerminalProgress() : silentProgress;
  // A dry run needs no database at all, which is the surest way for it to write nothing.
  const database = options.dryRun
    ? null
    : await openDatabaseOrExit('legacy:import', { url: config.DATABASE_DIRECT_URL ?? config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    if (database) await applyMigrations(database.adapterFactory);
    const started = Date.now();
    const report = await runLegacyImport(database?.prisma as NonNullable<typeof database>['prisma'], {
      directory: options.directory,
      asOf: options.asOf,
      dryRun: options.dryRun,
      batchSize: options.batchSize,
      progress,
    });
    await writeFile(options.reportFile, `${JSON.stringify(report, null, 1)}\n`);
    process.stdout.write(`${formatReport(report)}\n`);
    process.stdout.write(`report written to ${options.reportFile} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  } catch (error) {
    if (error instanceof ImportConflictError) {
      process.stderr.write(`legacy:import: nothing was written: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  } finally {
    await database?.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`legacy:import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.stderr.write('Every batch and merge that finished is committed; fix the cause and run the same command again.\n');
  process.exit(1);
});
