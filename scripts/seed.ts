import 'reflect-metadata';
// npm run seed -- [--customers N]: the demo data set (src/seed), into the configured database (DATABASE_URL,
// else the embedded one in DATA_DIR). Running it again keeps what is there and adds only what is missing.
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.js';
import { openDatabaseOrExit } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { BcryptPool, PasswordHasher } from '../src/modules/identity/index.js';
import { DEFAULT_DEMO_CUSTOMERS, MAX_DEMO_CUSTOMERS, seedDemoData } from '../src/seed/demo-data.js';
import { demoLoginLines } from '../src/seed/demo-logins.js';

let customers: number;
try {
  const { values } = parseArgs({ options: { customers: { type: 'string', default: String(DEFAULT_DEMO_CUSTOMERS) } }, strict: true });
  customers = Number(values.customers);
  if (!/^\d+$/.test(values.customers ?? '') || customers > MAX_DEMO_CUSTOMERS)
    throw new Error(`--customers must be a whole number from 0 to ${MAX_DEMO_CUSTOMERS}`);
} catch (error) {
  console.error(`seed: ${(error as Error).message}`);
  console.error('usage: npm run seed -- [--customers N]');
  process.exit(2);
}
const config = loadConfig();
if (config.NODE_ENV === 'production') {
  console.error('seed: refusing to write demo data (with published passwords) into a production database');
  process.exit(2);
}
const database = await openDatabaseOrExit('seed', { url: config.DATABASE_DIRECT_URL ?? config.DATABASE_URL, dataDir: config.DATA_DIR });
const pool = new BcryptPool(1);
try {
  await applyMigrations(database.adapterFactory);
  const started = Date.now();
  const summary = await seedDemoData(database.prisma, {
    customers,
    now: new Date(),
    hasher: new PasswordHasher(pool, config.BCRYPT_COST),
    onProgress: (done, total) => {
      if (done % 100 === 0 || done === total) process.stdout.write(`customers ${done}/${total}\n`);
    },
  });
  console.log(
    `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.customersCreated} customers created, ${summary.customersAlreadyThere} already there, ` +
      `${summary.staffCreated} staff logins created; statuses ${JSON.stringify(summary.byStatus)}`,
  );
  for (const line of demoLoginLines()) console.log(line);
} finally {
  await pool.close();
  await database.close();
}
// The wasm schema engine leaves a timer behind after migrating; a command has nothing left to do.
process.exit();
