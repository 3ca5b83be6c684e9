// Everything a running server holds: configuration, database, services, the protected schema and Apollo.
// main.ts and the integration tests both create it, so tests exercise exactly what production runs.
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { OperationTypeNode, type GraphQLSchema } from 'graphql';
import { Redis } from 'ioredis';
import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/client.js';
import {
  AccessTokens,
  BcryptPool,
  developmentSecret,
  PasswordHasher,
  PostgresAttemptCounters,
  RedisAttemptCounters,
  type AttemptCounters,
} from '../modules/identity/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { ErrorCode, OUTAGE_RETRY_AFTER_SECONDS } from '../shared/errors.js';
import { SweepScheduler } from '../modules/activation/index.js';
import { loadMessageCatalogue, useMessageCatalogue, type MessageCatalogue } from '../modules/messages/index.js';
import type { Context } from '../modules/context.js';
import { createErrorFormatter } from './errors.js';
import { OutageLog } from './outage-log.js';
import { costLimitPlugin, limitParseOptions, limitValidationRules } from './limits.js';
import { inputHygienePlugin } from './input-hygiene.js';
import type { Logger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createWritePositions, readRoutingPlugin } from './read-routing.js';
import { buildProtectedSchema } from './schema.js';
import { createServices, deriveOtpSecret, type Services } from '../modules/all.js';
import { TrustedDocumentGate, trustedDocuments } from './trusted-documents.js';
import { OperationPlans, operationPlansPlugin } from './operation-plans.js';

interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  log: Logger;
  clock?: Clock;
  /** The message catalogue main.ts loaded and checked; loaded here (CatalogueError on problems) when absent. */
  messageCatalogue?: MessageCatalogue;
}

export interface App {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly log: Logger;
  readonly clock: Clock;
  readonly services: Services;
  readonly tokens: AccessTokens;
  readonly counters: AttemptCounters;
  readonly schema: GraphQLSchema;
  readonly apollo: ApolloServer<Context>;
  readonly metrics: Metrics;
  /** The counters' Redis connection when REDIS_URL is set; /readyz reports it. */
  readonly redis: Redis | null;
  readonly outages: OutageLog;
  /** Which documents a caller may run (TRUSTED_DOCUMENTS, ADHOC_OPERATION_ROLES; server/trusted-documents.ts). */
  readonly trust: TrustedDocumentGate;
  close(): Promise<void>;
}

/** What the default cache-control plugin answered for every response of this uncacheable schema. */
const noStorePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** An answer carrying SERVICE_UNAVAILABLE (database or Redis unreachable) is HTTP 503 with Retry-After. */
const outageStatusPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        if (response.body.singleResult.errors?.some((error) => error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) {
          response.http.status = 503;
          response.http.headers.set('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
        }
      },
    };
  },
};

/**
 * Redis for the attempt counters, bounded: a command that gets no answer fails after the command timeout
 * (a frozen server), and with the offline queue off a command sent while disconnected fails at once (a
 * killed server) instead of waiting for a reconnection. Connection errors go to the structured log, at
 * most one line every few seconds, instead of ioredis's own unstructured "Unhandled error event".
 */
async function connectRedis(config: Config, outages: OutageLog): Promise<Redis> {
  const timeout = config.REDIS_COMMAND_TIMEOUT_MS;
  const redis = new Redis(config.REDIS_URL!, {
    commandTimeout: timeout,
    connectTimeout: timeout,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  redis.on('error', (error: Error) => outages.record('redis-connection', error.message.slice(0, 200), 'redis connection error'));
  // Start-up waits a moment for the connection, since no command may be queued before it is ready; a Redis
  // that is down then is an outage like any other (logins answer SERVICE_UNAVAILABLE until it is back).
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, Math.max(timeout, 1_000));
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

/** A query reads the viewer's user, facets and lock from the session check's row instead of again. */
const sessionReadPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, contextValue }) {
        if (operation?.operation === OperationTypeNode.QUERY && contextValue.session) contextValue.loaders.primeSession(contextValue.session);
      },
    };
  },
};

export async function createApp({ config, database, log, clock = systemClock, messageCatalogue }: AppOptions): Promise<App> {
  useMessageCatalogue(messageCatalogue ?? loadMessageCatalogue(config));
  const secretMaterial = config.JWT_SECRET ?? config.JWT_PRIVATE_KEY ?? (await developmentSecret(config.DATA_DIR));
  const tokens = await AccessTokens.fromConfig(config, config.JWT_SECRET ? undefined : secretMaterial);
  const outages = new OutageLog(log, clock);
  const redis = config.REDIS_URL ? await connectRedis(config, outages) : null;
  const metrics = createMetrics({ config, database, clock, countsLocksInDatabase: !redis });
  const counters = metrics.meter(
    redis ? new RedisAttemptCounters(redis, `${config.REDIS_KEY_PREFIX}attempts:`, outages) : new PostgresAttemptCounters(database.prisma),
  );
  const bcryptPool = new BcryptPool();
  const hasher = new PasswordHasher(bcryptPool, config.BCRYPT_COST);
  const services = createServices({
    config,
    db: database.prisma,
    clock,
    log,
    tokens,
    counters,
    hasher,
    otpSecret: deriveOtpSecret(secretMaterial),
    onOtpGuardRefusal: (guard) => metrics.countOtpGuardRefusal(guard),
  });
  const { readRouting, stopObservingReplicas } = routeReads({ config, database, log, redis, outages });
  const schema = await buildProtectedSchema();
  const plans = config.OPERATION_PLANS === 'on' ? operationPlansPlugin(new OperationPlans(), { read: database.readRows, outages, metrics }) : null;
  const apollo = createApollo(schema, { config, log, outages, readRouting, metrics, plans });
  await apollo.start();
  const sweepScheduler = startBackgroundWork(config, services, clock, log);
  return {
    config,
    database,
    log,
    clock,
    services,
    tokens,
    counters,
    schema,
    apollo,
    metrics,
    redis,
    outages,
    trust: new TrustedDocumentGate(trustedDocuments(), {
      mode: config.TRUSTED_DOCUMENTS,
      adhocRoles: config.ADHOC_OPERATION_ROLES,
      introspection: config.ALLOW_INTROSPECTION,
    }),
    close: async () => {
      await services.auth.settled();
      await sweepScheduler?.stop();
      await services.messageDispatcher.stop();
      await apollo.stop();
      stopObservingReplicas?.();
      await bcryptPool.close();
      redis?.disconnect();
    },
  };
}

/** Heavy reads go to the read replicas when there are any; their failures and changes are logged. */
function routeReads({
  config,
  database,
  log,
  redis,
  outages,
}: {
  config: Config;
  database: DatabaseHandle;
  log: Logger;
  redis: Redis | null;
  outages: OutageLog;
}) {
  const replicas = database.replicas;
  const readRouting = replicas
    ? readRoutingPlugin(
        replicas,
        createWritePositions({ redis, keyPrefix: config.REDIS_KEY_PREFIX, maxLagSeconds: config.DATABASE_REPLICA_MAX_LAG_SECONDS, outages }),
      )
    : null;
  const stopObservingReplicas = replicas?.observe({
    read: () => {},
    fallback: (replica) => outages.record(`replica-${replica}`, 'a statement failed on the replica', 'read replica failed: its reads go to the primary'),
    changed: (status) =>
      log.warn(
        { replica: status.name, up: status.up, lagSeconds: status.lagSeconds },
        status.usable ? 'read replica usable' : 'read replica skipped: reads go to the primary',
      ),
  });
  return { readRouting, stopObservingReplicas };
}

function createApollo(
  schema: GraphQLSchema,
  {
    config,
    log,
    outages,
    readRouting,
    metrics,
    plans,
  }: {
    config: Config;
    log: Logger;
    outages: OutageLog;
    readRouting: ApolloServerPlugin<Context> | null;
    metrics: Metrics;
    /** Answers the planned operations (server/operation-plans.ts); null with OPERATION_PLANS=off. */
    plans: ApolloServerPlugin<Context> | null;
  },
): ApolloServer<Context> {
  const production = config.NODE_ENV === 'production';
  return new ApolloServer<Context>({
    schema,
    introspection: config.ALLOW_INTROSPECTION,
    // Suggestions ("Did you mean …") describe the schema, so they go wherever introspection is off.
    hideSchemaDetailsFromClientErrors: !config.ALLOW_INTROSPECTION,
    validationRules: limitValidationRules(),
    parseOptions: limitParseOptions,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries would let anyone register a document: ids are the manifest's only, and
    // http.ts resolves them before Apollo sees the request (server/trusted-documents.ts).
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown: it stops accepting requests first, then stops Apollo and the database.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter(log, { production, outages }),
    // No field carries a cache hint, so Apollo's default cache-control plugin could only ever answer
    // `no-store`, yet it wraps every resolver to collect hints (~10 % of a large answer's CPU): the header
    // is set directly instead.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      sessionReadPlugin,
      ...(readRouting ? [readRouting] : []),
      outageStatusPlugin,
      costLimitPlugin<Context>(),
      inputHygienePlugin<Context>(),
      metrics.apolloPlugin,
      ...(plans ? [plans] : []),
    ],
  });
}

/** Background work (SPEC §4, §7): the scheduled inactivity sweep and the outbox dispatcher loop. */
function startBackgroundWork(config: Config, services: Services, clock: Clock, log: Logger): SweepScheduler | null {
  const sweepScheduler =
    config.SWEEP_SCHEDULE === 'off'
      ? null
      : new SweepScheduler(config.SWEEP_SCHEDULE, services.inactivitySweep, clock, log, () => services.idempotency.deleteExpired());
  sweepScheduler?.start();
  if (config.MESSAGE_DISPATCH) services.messageDispatcher.start();
  return sweepScheduler;
}
