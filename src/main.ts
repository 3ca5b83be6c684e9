// Start-up only: configuration → database (migrations applied) → schema → server.
import 'reflect-metadata';
import { loadConfig } from './config/env.js';
import { openDatabaseOrExit, statementTimeoutInForce } from './db/client.js';
import { applyMigrations } from './db/migrations.js';
import { createApp } from './server/app.js';
import { listen } from './server/http.js';
import { createLogger } from './server/logger.js';
import { CatalogueError, loadMessageCatalogue } from './modules/messages/index.js';
import { offerDemoData } from './seed/startup-offer.js';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
// The message templates are configuration too: every problem named, exit 2, before anything is opened.
const messageCatalogue = (() => {
  try {
    return loadMessageCatalogue(config);
  } catch (error) {
    if (!(error instanceof CatalogueError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
})();
const database = await openDatabaseOrExit('server', {
  url: config.DATABASE_URL,
  directUrl: config.DATABASE_DIRECT_URL,
  namedStatements: config.DATABASE_NAMED_STATEMENTS,
  dataDir: config.DATA_DIR,
  poolSize: config.DATABASE_POOL_SIZE,
  statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  replicaUrls: config.DATABASE_REPLICA_URLS,
  replicaMaxLagSeconds: config.DATABASE_REPLICA_MAX_LAG_SECONDS,
  log: (message) => log.warn(message),
});
const applied = await applyMigrations(database.adapterFactory);
if (applied.length > 0) log.info({ applied }, 'migrations applied');
if (database.kind === 'postgres' && (await statementTimeoutInForce(database)) === '0') {
  log.warn(
    { setting: 'DATABASE_STATEMENT_TIMEOUT_MS' },
    "statement_timeout is not in force on the database's connections (a pooler such as PgBouncer does not pass it on): set it on the role or in the pooler's connect_query (docs/deployment.md, PgBouncer); the driver's read timeout still ends a statement that gets no answer",
  );
}
await offerDemoData(config, database, log, new Date());
const app = await createApp({ config, database, log, messageCatalogue });
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
