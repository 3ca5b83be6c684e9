// /metrics in Prometheus text format (prom-client), one registry per App so that several apps in one
// process (the tests) keep their own numbers:
//   bff_graphql_requests_total / bff_graphql_request_duration_seconds {operation, result}: result is OK or
//     the first error's extensions.code; operation is the operation name (unknown names past a cap become
//     "other", so a client cannot blow up the series count);
//   bff_rate_limited_total {field}: RATE_LIMITED answers, by the root field that raised them;
//   bff_login_lockout_refusals_total, bff_login_throttled_total: logins refused by an account lock or the
//     per-IP throttle; bff_login_locks_active: locked identifiers (PostgreSQL counter store only);
//   bff_db_pool_connections {state}: the pg pool (PostgreSQL only); bff_database_up;
//   bff_outbox_messages {status}, bff_outbox_oldest_pending_seconds: read by query at scrape time.
// Access: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without it, open outside
// production and absent (404) in production.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/client.js';
import type { AttemptCounters } from '../modules/identity/index.js';
import type { Clock } from '../shared/clock.js';
import { countActiveLocks, readOutboxBacklog } from './metrics.repository.js';
import { currentRequestScope } from './request-scope.js';

const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

export interface Metrics {
  readonly registry: Registry;
  readonly apolloPlugin: ApolloServerPlugin<any>;
  /** Wraps the lockout/throttle counters so that refusals are counted where they happen. */
  meter(counters: AttemptCounters): AttemptCounters;
}

export function createMetrics(options: { config: Config; database: DatabaseHandle; clock: Clock; countsLocksInDatabase: boolean }): Metrics {
  const { database, clock } = options;
  const registry = new Registry();
  if (options.config.NODE_ENV !== 'test') collectDefaultMetrics({ register: registry, prefix: 'bff_' });

  const requests = new Counter({ name: 'bff_graphql_requests_total', help: 'GraphQL requests by operation name and result code', labelNames: ['operation', 'result'], registers: [registry] });
  const durations = new Histogram({
    name: 'bff_graphql_request_duration_seconds',
    help: 'GraphQL request duration from arrival to response, by operation name and result code',
    labelNames: ['operation', 'result'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rateLimited = new Counter({ name: 'bff_rate_limited_total', help: 'RATE_LIMITED answers by root field', labelNames: ['field'], registers: [registry] });
  const lockoutRefusals = new Counter({ name: 'bff_login_lockout_refusals_total', help: 'Password logins refused because the account or identifier is locked', registers: [registry] });
  const throttled = new Counter({ name: 'bff_login_throttled_total', help: 'Login, OTP and reset attempts refused by the per-IP throttle', registers: [registry] });

  // The database gauges are filled together, so one scrape runs the queries once whichever gauge
  // prom-client collects first.
  const collect = () => collectDatabaseGauges();
  const databaseUp = new Gauge({ name: 'bff_database_up', help: '1 when the scrape-time queries reached the database', registers: [registry], collect });
  const outbox = new Gauge({ name: 'bff_outbox_messages', help: 'Outbox messages waiting (PENDING) or given up (FAILED)', labelNames: ['status'], registers: [registry], collect });
  const oldestPending = new Gauge({ name: 'bff_outbox_oldest_pending_seconds', help: 'Age of the oldest PENDING outbox message', registers: [registry], collect });
  const activeLocks = options.countsLocksInDatabase
    ? new Gauge({ name: 'bff_login_locks_active', help: 'Password-login locks in force', registers: [registry], collect })
    : null;
  let collecting: Promise<void> | null = null;
  const collectDatabaseGauges = () =>
    (collecting ??= (async () => {
      try {
        const now = clock.now();
        const [backlog, locks] = await Promise.all([readOutboxBacklog(database.prisma, now), activeLocks ? countActiveLocks(database.prisma, now) : 0]);
        outbox.set({ status: 'PENDING' }, backlog.pending);
        outbox.set({ status: 'FAILED' }, backlog.failed);
        oldestPending.set(backlog.oldestPendingSeconds);
        activeLocks?.set(locks);
        databaseUp.set(1);
      } catch {
        databaseUp.set(0);
      }
    })().finally(() => (collecting = null)));

  const pool = database.pool;
  if (pool) {
    new Gauge({
      name: 'bff_db_pool_connections',
      help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one; max is the configured size',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
        this.set({ state: 'max' }, pool.options.max ?? 10);
      },
    });
  }

  const knownOperations = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (knownOperations.has(name)) return name;
    if (knownOperations.size >= MAX_OPERATION_NAMES) return 'other';
    knownOperations.add(name);
    return name;
  };

  const apolloPlugin: ApolloServerPlugin<any> = {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName, request }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const error of errors) {
            if (error.extensions?.code === 'RATE_LIMITED') rateLimited.inc({ field: String(error.path?.[0] ?? 'unknown') });
          }
          const firstCode = errors[0]?.extensions?.code;
          const labels = { operation: operationLabel(operationName ?? request.operationName), result: typeof firstCode === 'string' ? firstCode : errors.length ? 'ERROR' : 'OK' };
          requests.inc(labels);
          const started = currentRequestScope()?.startedAt;
          if (started !== undefined) durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };

  // The identity service may ask about a lock more than once for one attempt: count each key once a request.
  const refusalsCounted = new WeakMap<object, Set<string>>();
  const countLockoutRefusal = (key: string) => {
    const scope = currentRequestScope();
    if (scope) {
      const keys = refusalsCounted.get(scope) ?? new Set<string>();
      refusalsCounted.set(scope, keys);
      if (keys.has(key)) return;
      keys.add(key);
    }
    lockoutRefusals.inc();
  };

  return {
    registry,
    apolloPlugin,
    meter(counters) {
      return {
        hit: async (key, now) => {
          const result = await counters.hit(key, now);
          if (!result.allowed) throttled.inc();
          return result;
        },
        lockedUntil: async (key, now) => {
          const until = await counters.lockedUntil(key, now);
          if (until) countLockoutRefusal(key);
          return until;
        },
        lockedUntilMany: (keys, now) => counters.lockedUntilMany(keys, now),
        recordFailure: (key, now) => counters.recordFailure(key, now),
        reset: (...keys) => counters.reset(...keys),
      };
    },
  };
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

export async function serveMetrics(config: Config, metrics: Metrics, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!config.METRICS_TOKEN && config.NODE_ENV === 'production') {
    response.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    response.end('{"error":"not found"}');
    return;
  }
  if (config.METRICS_TOKEN && !bearerMatches(request.headers.authorization, config.METRICS_TOKEN)) {
    response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' });
    response.end('metrics need the METRICS_TOKEN bearer token\n');
    return;
  }
  const body = await metrics.registry.metrics();
  response.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
  response.end(body);
}
