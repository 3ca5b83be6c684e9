// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded database in DATA_DIR.
import { loadConfig } from '../src/config/env.js';
import { openDatabaseOrExit } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';

const config = loadConfig();
const database = await openDatabaseOrExit('db:migrate', { url: config.DATABASE_DIRECT_URL ?? config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const applied = await applyMigrations(database.adapterFactory);
  console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'no pending migrations');
} finally {
  await database.close();
}
// The wasm schema engine leaves a timer behind after migrating; a command has nothing left to do.
process.exit();
