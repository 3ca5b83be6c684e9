// Start-up only: configuration → database (migrations applied) → schema → server.
import 'reflect-metadata';
import { loadConfig } from './config/env.js';
import { openDatabaseOrExit } from './db/client.js';
import { applyMigrations } from './db/migrations.js';
import { createApp } from './server/app.js';
import { listen } from './server/http.js';
import { createLogger } from './server/logger.js';
import { offerDemoData } from './seed/startup-offer.js';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const database = await openDatabaseOrExit('server', {
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  poolSize: config.DATABASE_POOL_SIZE,
  statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  log: (message) => log.warn(message),
});
const applied = await applyMigrations(database.adapterFactory);
if (applied.length > 0) log.info({ applied }, 'migrations applied');
await offerDemoData(config, database, log, new Date());
const app = await createApp({ config, database, log });
const server = await listen(app, config.PORT, config.HOST);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, graceMs: config.SHUTDOWN_GRACE_MS }, 'stopping: finishing requests in flight');
  // The last resort: whatever still holds the process at the end of the grace does not keep it alive.
  setTimeout(() => {
    log.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'shutdown grace ran out: exiting');
    process.exit(1);
  }, config.SHUTDOWN_GRACE_MS).unref();
  // The dispatcher stops claiming and hands back its sends in flight while requests are finished.
  await Promise.all([server.close(config.SHUTDOWN_GRACE_MS), app.services.messageDispatcher.stop()]);
  await app.close();
  await database.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
// Only once the handlers are in: a SIGTERM sent on seeing this line must stop the server cleanly (closing
// the database and removing the data folder's lock), not kill it.
log.info({ url: server.url, database: database.kind }, 'listening');
