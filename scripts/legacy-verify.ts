// npm run legacy:verify — the integrity checks of SPEC §9 against the configured database.
// Exit codes: 0 every check passed, 1 a check failed (offenders listed), 2 bad arguments.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.js';
import { openDatabaseOrExit } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { formatChecks, isHealthy, verifyIntegrity } from '../src/legacy/integrity-verifier.js';

function readArguments(argv: string[]): void {
  try {
    parseArgs({ args: argv, strict: true, allowPositionals: false, options: {} });
  } catch (error) {
    process.stderr.write(`legacy:verify: ${error instanceof Error ? error.message : String(error)}\nusage: npm run legacy:verify\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  readArguments(process.argv.slice(2));
  const config = loadConfig();
  const database = await openDatabaseOrExit('legacy:verify', { url: config.DATABASE_DIRECT_URL ?? config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await applyMigrations(database.adapterFactory);
    const checks = await verifyIntegrity(database.prisma);
    process.stdout.write(`${formatChecks(checks)}\n`);
    process.exitCode = isHealthy(checks) ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`legacy:verify failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
