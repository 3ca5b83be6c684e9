// Benchmark 3: what the shield rules cost, in process. The same 1,000-customer query is executed with
// graphql's `execute` on the schema without rules (buildBaseSchema) and with them (buildProtectedSchema),
// alternately in samples of ten executions each, on prepared rows: the root list answers 1,000 customers read once from the database, and
// the per-request DataLoaders are warmed, so the timing is GraphQL execution plus authorization only (the
// worst case for the ratio: a database round trip would dilute it). Two callers: marketing staff (role
// grants) and the delivery boy the customers are assigned to (an ownership check on every row).
import { performance } from 'node:perf_hooks';
import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { parseConfig } from '../src/config/env.js';
import type { DatabaseHandle } from '../src/db/client.js';
import type { Viewer } from '../src/auth/viewer.js';
import type { Role } from '../src/auth/roles.js';
import { createApp, type App } from '../src/server/app.js';
import type { Context } from '../src/modules/context.js';
import { createLoaders } from '../src/modules/all.js';
import { createLogger } from '../src/server/logger.js';
import { buildBaseSchema, buildProtectedSchema } from '../src/server/schema.js';
import type { Services } from '../src/modules/all.js';
import { pageFromStart, toConnection } from '../src/shared/pagination.js';
import { contractOperation } from './bench.operations.js';
import { BENCH_JWT_SECRET } from './bench.servers.js';
import type { SeededData } from './bench.seed.js';

export interface AuthorizationCaseResult {
  caller: string;
  rows: number;
  fieldsPerRow: number;
  baseMedianMs: number;
  protectedMedianMs: number;
  ratio: number;
  /** Spread of the per-sample ratio (10th–90th percentile): the noise of this measurement. */
  ratioP10: number;
  ratioP90: number;
  iterations: number;
}

/** Executions per timed sample. */
const SAMPLE_RUNS = 10;

const DELIVERY_BOY_QUERY = `query Route($first: Int) { customers(first: $first) { totalCount edges { node { id name phone address area activationStatus } } } }`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const quantile = (values: number[], fraction: number) => [...values].sort((a, b) => a - b)[Math.floor(fraction * (values.length - 1))];
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function measureCase(
  app: App,
  schemas: { base: GraphQLSchema; protected: GraphQLSchema },
  viewer: Viewer,
  document: DocumentNode,
  services: Services,
  iterations: number,
): Promise<{ base: number[]; guarded: number[]; errors: { base: number; guarded: number } }> {
  const loaders = createLoaders({ db: app.database.prisma, counters: app.counters, clock: app.clock });
  const contextValue = (): Context => ({
    clientIp: '127.0.0.1',
    userAgent: null,
    viewer,
    authError: null,
    loaders,
    services,
    clock: app.clock,
  });
  const run = async (schema: GraphQLSchema) => {
    const started = performance.now();
    const result = await execute({ schema, document, contextValue: contextValue(), variableValues: { first: 100 } });
    return { ms: performance.now() - started, errors: result.errors?.length ?? 0 };
  };
  // One sample is the mean of SAMPLE_RUNS executions in a row: a single execution of a few milliseconds is
  // as long as a young-generation collection, which lands on either side at random.
  const sample = async (schema: GraphQLSchema) => {
    let total = 0;
    for (let index = 0; index < SAMPLE_RUNS; index += 1) total += (await run(schema)).ms;
    return total / SAMPLE_RUNS;
  };
  // Warm-up: fills the loaders' caches and lets the JIT settle before anything is timed.
  const warm = { base: (await run(schemas.base)).errors, guarded: (await run(schemas.protected)).errors };
  for (let index = 0; index < 3; index += 1) await Promise.all([sample(schemas.base), sample(schemas.protected)]);
  const base: number[] = [];
  const guarded: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    // Alternate which goes first, so neither always runs on a freshly collected heap.
    if (index % 2 === 0) {
      base.push(await sample(schemas.base));
      guarded.push(await sample(schemas.protected));
    } else {
      guarded.push(await sample(schemas.protected));
      base.push(await sample(schemas.base));
    }
  }
  return { base, guarded, errors: warm };
}

export async function measureAuthorization(
  database: DatabaseHandle,
  seeded: SeededData,
  options: { rows: number; iterations: number },
): Promise<AuthorizationCaseResult[]> {
  const config = parseConfig({
    NODE_ENV: 'production',
    JWT_SECRET: BENCH_JWT_SECRET,
    LOG_LEVEL: 'silent',
    SWEEP_SCHEDULE: 'off',
    MESSAGE_DISPATCH: 'off',
    DATABASE_URL: 'postgresql://unused',
  });
  const app = await createApp({ config, database, log: createLogger('silent') });
  try {
    const schemas = { base: await buildBaseSchema(), protected: await buildProtectedSchema() };
    const rows = await database.prisma.customer.findMany({
      where: { deliveryBoyId: seeded.deliveryBoyId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.rows,
    });
    const connection = toConnection(rows, pageFromStart(rows.length), rows.length, (row) => [row.id]);
    // The root list answers the prepared rows: only execution and authorization are timed.
    const services = { ...app.services, customers: { list: async () => connection } } as unknown as Services;
    const viewerOf = (userId: string, roles: Role[], deliveryBoyId: string | null): Viewer => ({
      userId,
      sessionId: 'bench',
      roles: new Set(roles),
      customerId: null,
      deliveryBoyId,
      supplierId: null,
    });
    const deliveryUser = await database.prisma.deliveryBoy.findUniqueOrThrow({ where: { id: seeded.deliveryBoyId } });
    const cases = [
      {
        caller: 'MARKETING_STAFF (role grants), contract `Customers` fields',
        viewer: viewerOf(seeded.marketingUserId, ['MARKETING_STAFF'], null),
        query: contractOperation('Customers'),
        fieldsPerRow: 10,
      },
      {
        caller: 'DELIVERY_BOY (ownership check on every row)',
        viewer: viewerOf(deliveryUser.userId, ['DELIVERY_BOY'], seeded.deliveryBoyId),
        query: DELIVERY_BOY_QUERY,
        fieldsPerRow: 6,
      },
    ];
    const results: AuthorizationCaseResult[] = [];
    for (const entry of cases) {
      const measured = await measureCase(app, schemas, entry.viewer, parse(entry.query), services, options.iterations);
      if (measured.errors.base + measured.errors.guarded > 0) {
        throw new Error(`authorization bench (${entry.caller}): ${measured.errors.base} / ${measured.errors.guarded} errors`);
      }
      const ratios = measured.base.map((baseMs, index) => measured.guarded[index] / baseMs);
      const baseMedian = median(measured.base);
      const protectedMedian = median(measured.guarded);
      results.push({
        caller: entry.caller,
        rows: rows.length,
        fieldsPerRow: entry.fieldsPerRow,
        baseMedianMs: round(baseMedian, 2),
        protectedMedianMs: round(protectedMedian, 2),
        ratio: round(protectedMedian / baseMedian),
        ratioP10: round(quantile(ratios, 0.1)),
        ratioP90: round(quantile(ratios, 0.9)),
        iterations: options.iterations,
      });
    }
    return results;
  } finally {
    await app.close();
  }
}
