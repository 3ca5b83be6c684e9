// /metrics in Prometheus text format (prom-client), one registry per App so that several apps in one
// process (the tests) keep their own numbers:
//   bff_graphql_requests_total / bff_graphql_request_duration_seconds {operation, result}: result is OK or
//     the first error's extensions.code; operation is the operation name (unknown names past a cap become
//     "other", so a client cannot blow up the series count);
//   bff_rate_limited_total {field}: RATE_LIMITED answers, by the root field that raised them;
//   bff_login_lockout_refusals_total, bff_login_throttled_total: logins refused by an account lock or the
//     per-IP throttle; bff_login_locks_active: locked identifiers (PostgreSQL counter store only);
//   bff_db_pool_connections {state}: the pg pool (PostgreSQL only); bff_database_up;
//   with read replicas: bff_database_reads_total {target}, bff_database_replica_fallbacks_total {replica},
//     bff_database_replica_lag_seconds {replica}, bff_database_replica_usable {replica},
//     bff_database_replica_probes_total {replica, outcome};
//   bff_outbox_messages {status}, bff_outbox_oldest_pending_seconds: read by query at scrape time;
//   bff_message_tries {channel, template, status}, bff_message_delivered_ratio {channel, template}: tries
//     the channels accepted in the last 24 h and the share reported DELIVERED (scrape time);
//   bff_otp_codes {outcome}, bff_otp_verified_share: codes issued in the hour that ended 5 minutes ago
//     (all of them used or expired by now) and the share used to sign in (scrape time);
//   bff_otp_guard_refusals_total {guard}: OTP requests refused by the pumping guard (prefix or daily);
//   bff_document_refusals_total {reason}: requests refused as untrusted documents or unknown ids;
//   bff_planned_operations_total {operation, outcome}: requests for a planned operation (operation-plans.ts),
//     by who answered: `planned`, `general` (a caller the plan is not made for) or `failed` (the plan's
//     statement failed and the general path answered).
// Access: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without it, open outside
// production and absent (404) in production.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../modules/context.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/client.js';
import type { AttemptCounters } from '../modules/identity/index.js';
import type { Clock } from '../shared/clock.js';
import { ErrorCode } from '../shared/errors.js';
import type { OtpGuardName } from '../modules/identity/index.js';
import { countActiveLocks, readDeliveryTallies, readOtpOutcomes, readOutboxBacklog } from './metrics.repository.js';
import { currentRequestScope } from './request-scope.js';

const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

export interface Metrics {
  readonly registry: Registry;
  readonly apolloPlugin: ApolloServerPlugin<Context>;
  /** Wraps the lockout/throttle counters so that refusals are counted where they happen. */
  meter(counters: AttemptCounters): AttemptCounters;
  countOtpGuardRefusal(guard: OtpGuardName): void;
  /** A request refused before it ran: its document is not trusted (TRUSTED_DOCUMENT_REQUIRED) or its id unknown. */
  countDocumentRefusal(reason: 'untrusted' | 'unknown-id'): void;
  /** A request for a planned operation, by who answered it. */
  countPlannedOperation(operation: string, outcome: PlannedOutcome): void;
}

export type PlannedOutcome = 'planned' | 'general' | 'failed';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Longer than a code's 5-minute life: every code of the measured hour is used or expired. */
const OTP_SETTLE_MS = 5 * 60 * 1000;

/** Requests refused before they ran, planned operations' answers and OTP guard refusals. */
function outcomeCounters(registry: Registry) {
  const documentRefusals = new Counter({
    name: 'bff_document_refusals_total',
    help: 'Requests refused before they ran, by reason: untrusted (TRUSTED_DOCUMENT_REQUIRED) or unknown-id (PERSISTED_QUERY_NOT_FOUND)',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const reason of ['untrusted', 'unknown-id']) documentRefusals.inc({ reason }, 0);
  const plannedOperations = new Counter({
    name: 'bff_planned_operations_total',
    help: 'Requests for a planned operation by who answered: planned, general (a caller the plan is not made for) or failed (the general path answered)',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const otpGuardRefusals = new Counter({
    name: 'bff_otp_guard_refusals_total',
    help: 'OTP requests refused by the pumping guard, by guard (prefix, daily)',
    labelNames: ['guard'],
    registers: [registry],
  });
  return { documentRefusals, plannedOperations, otpGuardRefusals };
}

export function createMetrics(options: { config: Config; database: DatabaseHandle; clock: Clock; countsLocksInDatabase: boolean }): Metrics {
  const { database, clock } = options;
  const registry = new Registry();
  if (options.config.NODE_ENV !== 'test') collectDefaultMetrics({ register: registry, prefix: 'bff_' });

  const requests = new Counter({
    name: 'bff_graphql_requests_total',
    help: 'GraphQL requests by operation name and result code',
    labelNames: ['operation', 'result'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'bff_graphql_request_duration_seconds',
    help: 'GraphQL request duration from arrival to response, by operation name and result code',
    labelNames: ['operation', 'result'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rateLimited = new Counter({ name: 'bff_rate_limited_total', help: 'RATE_LIMITED answers by root field', labelNames: ['field'], registers: [registry] });
  const lockoutRefusals = new Counter({
    name: 'bff_login_lockout_refusals_total',
    help: 'Password logins refused because the account or identifier is locked',
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'bff_login_throttled_total',
    help: 'Login, OTP and reset attempts refused by the per-IP throttle',
    registers: [registry],
  });
  const { documentRefusals, plannedOperations, otpGuardRefusals } = outcomeCounters(registry);

  registerDatabaseGauges(registry, database, clock, options.countsLocksInDatabase);
  if (database.pool) registerPoolGauge(registry, database.pool);
  if (database.replicas) registerReplicaMetrics(registry, database.replicas);
  const countLockoutRefusal = oncePerRequest(() => lockoutRefusals.inc());

  return {
    registry,
    apolloPlugin: requestMetricsPlugin(requests, durations, rateLimited),
    countOtpGuardRefusal(guard) {
      otpGuardRefusals.inc({ guard });
    },
    countDocumentRefusal(reason) {
      documentRefusals.inc({ reason });
    },
    countPlannedOperation(operation, outcome) {
      plannedOperations.inc({ operation, outcome });
    },
    meter: (counters) => meterCounters(counters, throttled, countLockoutRefusal),
  };
}

/** The counters with their refusals counted: throttled hits, and lock refusals once a key a request. */
function meterCounters(counters: AttemptCounters, throttled: Counter, countLockoutRefusal: (key: string) => void): AttemptCounters {
  const metered: Pick<AttemptCounters, 'hit' | 'lockedUntil'> = {
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
  };
  // Everything else is the counters' own, called on them (their state stays in one object), whatever
  // they have: the session check's optional lockedUntilColumn cannot be left out again.
  return new Proxy(counters, {
    get(target, property) {
      if (property === 'hit' || property === 'lockedUntil') return metered[property];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The gauges read by query at scrape time. They are filled together, so one scrape runs the queries once
 * whichever gauge prom-client collects first.
 */
function registerDatabaseGauges(registry: Registry, database: DatabaseHandle, clock: Clock, countsLocksInDatabase: boolean): void {
  const collect = () => collectDatabaseGauges();
  // Every gauge here is filled by the same scrape-time collection.
  const gauge = <L extends string>(name: string, help: string, labelNames?: readonly L[]) =>
    new Gauge<L>({ name, help, ...(labelNames ? { labelNames } : {}), registers: [registry], collect });
  const databaseUp = gauge('bff_database_up', '1 when the scrape-time queries reached the database');
  const outbox = gauge('bff_outbox_messages', 'Outbox messages waiting (PENDING) or given up (FAILED)', ['status']);
  const oldestPending = gauge('bff_outbox_oldest_pending_seconds', 'Age of the oldest PENDING outbox message');
  const messageTries = gauge('bff_message_tries', 'Message tries accepted by a channel in the last 24 h, by channel, template and reported status', [
    'channel',
    'template',
    'status',
  ]);
  const deliveredRatio = gauge('bff_message_delivered_ratio', 'Share of the last 24 h of accepted tries reported DELIVERED, by channel and template', [
    'channel',
    'template',
  ]);
  const otpCodes = gauge('bff_otp_codes', 'OTP codes issued in the hour that ended 5 minutes ago (issued) and those of them used to sign in (verified)', [
    'outcome',
  ]);
  const otpVerifiedShare = gauge(
    'bff_otp_verified_share',
    'Share of the OTP codes of the hour that ended 5 minutes ago that were used to sign in (1 when none were issued)',
  );
  const activeLocks = countsLocksInDatabase ? gauge('bff_login_locks_active', 'Password-login locks in force') : null;
  let collecting: Promise<void> | null = null;
  const collectDatabaseGauges = () =>
    (collecting ??= (async () => {
      try {
        const now = clock.now();
        const settled = new Date(now.getTime() - OTP_SETTLE_MS);
        const [backlog, locks, tallies, otp] = await Promise.all([
          readOutboxBacklog(database.prisma, now),
          activeLocks ? countActiveLocks(database.prisma, now) : 0,
          readDeliveryTallies(database.prisma, new Date(now.getTime() - DAY_MS)),
          readOtpOutcomes(database.prisma, new Date(settled.getTime() - HOUR_MS), settled),
        ]);
        setDeliveryGauges(messageTries, deliveredRatio, tallies);
        otpCodes.set({ outcome: 'issued' }, otp.issued);
        otpCodes.set({ outcome: 'verified' }, otp.verified);
        otpVerifiedShare.set(otp.issued === 0 ? 1 : otp.verified / otp.issued);
        outbox.set({ status: 'PENDING' }, backlog.pending);
        outbox.set({ status: 'FAILED' }, backlog.failed);
        oldestPending.set(backlog.oldestPendingSeconds);
        activeLocks?.set(locks);
        databaseUp.set(1);
      } catch {
        databaseUp.set(0);
      }
    })().finally(() => (collecting = null)));
}

function registerPoolGauge(registry: Registry, pool: NonNullable<DatabaseHandle['pool']>): void {
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

function registerReplicaMetrics(registry: Registry, replicas: NonNullable<DatabaseHandle['replicas']>): void {
  const reads = new Counter({
    name: 'bff_database_reads_total',
    help: 'Read statements outside transactions, by where they went: primary or replica',
    labelNames: ['target'],
    registers: [registry],
  });
  reads.inc({ target: 'primary' }, 0);
  reads.inc({ target: 'replica' }, 0);
  const fallbacks = new Counter({
    name: 'bff_database_replica_fallbacks_total',
    help: 'Replica statements that failed and were answered by the primary',
    labelNames: ['replica'],
    registers: [registry],
  });
  const probes = new Counter({
    name: 'bff_database_replica_probes_total',
    help: 'Finished probes of each replica, by outcome: answered or failed',
    labelNames: ['replica', 'outcome'],
    registers: [registry],
  });
  for (const status of replicas.status()) for (const outcome of ['answered', 'failed']) probes.inc({ replica: status.name, outcome }, 0);
  replicas.observe({
    read: (target) => reads.inc({ target }),
    fallback: (replica) => fallbacks.inc({ replica }),
    changed: () => {},
    probed: (replica, answered) => probes.inc({ replica, outcome: answered ? 'answered' : 'failed' }),
  });
  new Gauge({
    name: 'bff_database_replica_lag_seconds',
    help: 'Replica lag at its last probe: 0 when it has replayed all it received; absent when it did not answer',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of replicas.status()) if (status.lagSeconds !== null) this.set({ replica: status.name }, status.lagSeconds);
    },
  });
  new Gauge({
    name: 'bff_database_replica_usable',
    help: '1 when the replica answered its last probe and lags no more than DATABASE_REPLICA_MAX_LAG_SECONDS (its reads go to the primary otherwise)',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      for (const status of replicas.status()) this.set({ replica: status.name }, status.usable ? 1 : 0);
    },
  });
}

/** Counts every answer by operation and result, its duration, and its RATE_LIMITED errors by root field. */
function requestMetricsPlugin(requests: Counter, durations: Histogram, rateLimited: Counter): ApolloServerPlugin<Context> {
  const knownOperations = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (knownOperations.has(name)) return name;
    if (knownOperations.size >= MAX_OPERATION_NAMES) return 'other';
    knownOperations.add(name);
    return name;
  };
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName, request }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const error of errors) {
            if (error.extensions?.code === ErrorCode.RATE_LIMITED) rateLimited.inc({ field: String(error.path?.[0] ?? 'unknown') });
          }
          const firstCode = errors[0]?.extensions?.code;
          const labels = {
            operation: operationLabel(operationName ?? request.operationName),
            result: typeof firstCode === 'string' ? firstCode : errors.length ? 'ERROR' : 'OK',
          };
          requests.inc(labels);
          const started = currentRequestScope()?.startedAt;
          if (started !== undefined) durations.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

/** The identity service may ask about a lock more than once for one attempt: count each key once a request. */
function oncePerRequest(count: () => void): (key: string) => void {
  const counted = new WeakMap<object, Set<string>>();
  return (key) => {
    const scope = currentRequestScope();
    if (scope) {
      const keys = counted.get(scope) ?? new Set<string>();
      counted.set(scope, keys);
      if (keys.has(key)) return;
      keys.add(key);
    }
    count();
  };
}

/** Replaces the delivery gauges' series, so a channel/template pair with no tries left drops out. */
function setDeliveryGauges(tries: Gauge, ratio: Gauge, tallies: { channel: string; template: string; status: string; tries: number }[]): void {
  tries.reset();
  ratio.reset();
  const pairs = new Map<string, { channel: string; template: string; accepted: number; delivered: number }>();
  for (const tally of tallies) {
    tries.set({ channel: tally.channel, template: tally.template, status: tally.status }, tally.tries);
    const key = `${tally.channel}/${tally.template}`;
    const pair = pairs.get(key) ?? { channel: tally.channel, template: tally.template, accepted: 0, delivered: 0 };
    pair.accepted += tally.tries;
    if (tally.status === 'DELIVERED') pair.delivered += tally.tries;
    pairs.set(key, pair);
  }
  for (const pair of pairs.values()) ratio.set({ channel: pair.channel, template: pair.template }, pair.delivered / pair.accepted);
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
