// npm run user:create -- --role ADMIN --email a@b.c --password '…' [--name …] [--phone …]
import { loadConfig } from '../src/config/env.js';
import { openDatabaseOrExit } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { BcryptPool, PasswordHasher } from '../src/modules/identity/index.js';
import { createUserFromCommandLine, describeCommandError, parseCreateUserArguments } from '../src/modules/identity/user.command.js';

let input;
try {
  input = parseCreateUserArguments(process.argv.slice(2));
} catch (error) {
  console.error(`user:create: ${describeCommandError(error) ?? (error as Error).message}`);
  console.error("usage: npm run user:create -- --role ADMIN --email a@b.c --password '…' [--name …] [--phone …]");
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabaseOrExit('user:create', { url: config.DATABASE_DIRECT_URL ?? config.DATABASE_URL, dataDir: config.DATA_DIR });
const pool = new BcryptPool(1);
try {
  await applyMigrations(database.adapterFactory);
  const user = await createUserFromCommandLine(database.prisma, new PasswordHasher(pool, config.BCRYPT_COST), input, new Date());
  console.log(`created ${user.roles.join('+')} user ${user.id} (${user.email ?? user.phone})`);
} catch (error) {
  const message = describeCommandError(error);
  if (!message) throw error;
  console.error(`user:create: ${message}`);
  process.exitCode = 1;
} finally {
  await pool.close();
  await database.close();
}
// The wasm schema engine leaves a timer behind after migrating; a command has nothing left to do.
process.exit();
