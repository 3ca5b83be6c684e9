// Runs the benchmarks in order: seed → comparison rounds (this server, PostGraphile, raw) →
// login burst → authorization cost (in process) → dashboard at each population size → legacy import.
// `npm run bench` (bench/run.ts) and the smoke test (test/bench/) both call runBenchmarks.
import os from 'node:os';
import type { DatabaseHandle } from '../src/db/client.js';
import { analyze, createBenchDatabase, type BenchDatabase, type BenchDatabaseTarget } from './bench.database.js';
import { BENCH_PASSWORD, seedBenchData, type SeededData, type SeedSize } from './bench.seed.js';
import { login } from './bench.load.js';
import { startProjectServer, startRawBaseline, type ServerUnderTest } from './bench.servers.js';
import { measureAuthorization, type AuthorizationCaseResult } from './authorization.section.js';
import { measureServer, scenarioRequests, type ComparisonRun, type LoadSettings, type ServerName, type Tokens } from './comparison.section.js';
import { measureLoginBurst, type LoginBurstResult } from './login-burst.section.js';
import { ensurePostGraphile, startPostGraphile, type PeerInstallation } from './peer/postgraphile.peer.js';
import { measureDashboard, measureLegacyImport, populateCustomers, type DashboardResult, type LegacyImportResult } from './scale.section.js';

export interface BenchOptions {
  database: BenchDatabaseTarget;
  seed: SeedSize;
  load: LoadSettings;
  rounds: number;
  postgraphile: boolean;
  loginBurstSeconds: number;
  authorizationIterations: number;
  /** Customer populations to measure the dashboard at (PostgreSQL only); empty = the seeded data only. */
  dashboardCustomers: number[];
  dashboardRuns: number;
  /** Customers in the generated legacy export; 0 skips the import. */
  legacyCustomers: number;
  log: (line: string) => void;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGigabytes: number; node: string; database: string };
  options: Omit<BenchOptions, 'log' | 'database'> & { database: string };
  peer: (PeerInstallation & { variant: string }) | null;
  comparison: ComparisonRun[];
  loginBurst: LoginBurstResult | null;
  authorization: AuthorizationCaseResult[];
  dashboard: DashboardResult[];
  legacyImport: LegacyImportResult | null;
}

async function withServer<T>(start: () => Promise<ServerUnderTest>, work: (server: ServerUnderTest) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

async function withHandle<T>(database: BenchDatabase, work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await database.open();
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

/**
 * Access tokens live 15 minutes: one login per account serves every round while it is fresh, so the
 * harness does not add its own logins to the login counters it measures.
 */
function tokenCache() {
  const issued = new Map<string, { token: string; at: number }>();
  return async (server: ServerUnderTest, email: string): Promise<string> => {
    const cached = issued.get(email);
    if (cached && Date.now() - cached.at < 12 * 60_000) return cached.token;
    const token = await login(server.url, email, BENCH_PASSWORD);
    issued.set(email, { token, at: Date.now() });
    return token;
  };
}

const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function runBenchmarks(options: BenchOptions): Promise<BenchResults> {
  const log = options.log;
  const startedAt = new Date().toISOString();
  const peer = options.postgraphile ? { ...ensurePostGraphile(log), variant: 'PostGraphile v5 (Amber preset)' } : null;
  const database = await createBenchDatabase(options.database);
  log(`database: ${database.kind}${database.url ? ` ${database.url.replace(/\/\/[^@]*@/, '//')}` : ''}`);
  const project = () => startProjectServer({ databaseEnvironment: database.environment, bcryptCost: options.seed.bcryptCost });
  try {
    const seeded: SeededData = await withHandle(database, async (handle) => {
      const data = await seedBenchData(handle, options.seed);
      await analyze(handle);
      return data;
    });
    const supplierPage = Math.min(100, options.seed.supplierOrders);
    const tokenFor = tokenCache();

    const comparison: ComparisonRun[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      log(`comparison round ${round}/${options.rounds}`);
      let tokens!: Tokens;
      const servers: [ServerName, () => Promise<ServerUnderTest>][] = [
        ['this server', project],
        ...(peer && database.url ? [['PostGraphile', () => startPostGraphile(peer, database.url!)] as [ServerName, () => Promise<ServerUnderTest>]] : []),
        ['raw baseline', () => startRawBaseline(database.environment)],
      ];
      for (const [name, start] of servers) {
        const runs = await withServer(start, async (server) => {
          if (name === 'this server') {
            tokens = {
              customer: await tokenFor(server, seeded.customerEmail),
              supplier: await tokenFor(server, seeded.supplierEmail),
              deliveryBoy: await tokenFor(server, seeded.deliveryBoyEmail),
            };
          }
          return measureServer(server, name, scenarioRequests(name, seeded, tokens, supplierPage), options.load, round);
        });
        for (const run of runs)
          log(
            `  ${name.padEnd(13)} ${run.scenario.padEnd(17)} ${run.load.requestsPerSecond} req/s  p99 ${run.load.latencyMs.p99} ms  ${run.statementsPerRequest} statements`,
          );
        comparison.push(...runs);
      }
    }

    log('authorization cost (in process)');
    const authorization = await withHandle(database, (handle) =>
      measureAuthorization(handle, seeded, { rows: options.seed.customers, iterations: options.authorizationIterations }),
    );
    for (const entry of authorization) log(`  ${entry.caller}: ${entry.baseMedianMs} → ${entry.protectedMedianMs} ms (${entry.ratio}×)`);

    // One start of this server for the login burst and the dashboard (PGlite admits one process at a time).
    let loginBurst: LoginBurstResult | null = null;
    const dashboard: DashboardResult[] = [];
    const sizes = database.url ? options.dashboardCustomers : [];
    await withServer(project, async (server) => {
      if (options.loginBurstSeconds > 0) {
        log('login burst');
        const meThroughput = medianOf(
          comparison.filter((run) => run.server === 'this server' && run.scenario === 'Me').map((run) => run.load.requestsPerSecond),
        );
        loginBurst = await measureLoginBurst(server, seeded, await tokenFor(server, seeded.customerEmail), {
          meRatePerSecond: Math.max(2, Math.round(meThroughput / 2)),
          durationSeconds: options.loginBurstSeconds,
          connections: options.load.connections,
          bcryptCost: options.seed.bcryptCost,
        });
        log(
          `  Me p99 ${loginBurst.meAlone.latencyMs.p99} → ${loginBurst.meDuringBurst.latencyMs.p99} ms, ${loginBurst.logins.requestsPerSecond} logins/s, event loop p99 ${loginBurst.burstEventLoop.p99Ms} ms`,
        );
      }
      const adminToken = await tokenFor(server, seeded.adminEmail);
      if (sizes.length === 0) dashboard.push(await measureDashboard(server, adminToken, options.dashboardRuns));
      for (const size of sizes) {
        const existing = await withHandle(database, (handle) => handle.prisma.customer.count());
        log(`dashboard: populating ${size} customers (${existing} there)`);
        await populateCustomers(database.url!, existing, size);
        await withHandle(database, analyze);
        dashboard.push(await measureDashboard(server, adminToken, options.dashboardRuns));
        log(`  ${dashboard.at(-1)!.customers} customers: median ${dashboard.at(-1)!.medianMs} ms`);
      }
    });

    let legacyImport: LegacyImportResult | null = null;
    if (options.legacyCustomers > 0) {
      log(`legacy import of ${options.legacyCustomers} customers`);
      const target = await createBenchDatabase(options.database, 'bench_legacy');
      try {
        legacyImport = await measureLegacyImport(options.legacyCustomers, target.environment);
      } finally {
        await target.drop();
      }
      log(`  ${legacyImport.seconds} s, peak RSS ${legacyImport.peakRssMegabytes} MB`);
    }

    const { log: _log, database: target, ...rest } = options;
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: os.availableParallelism(),
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryGigabytes: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        database: target.kind === 'postgres' ? await serverVersion(database) : 'PGlite',
      },
      options: { ...rest, database: target.kind },
      peer,
      comparison,
      loginBurst,
      authorization,
      dashboard,
      legacyImport,
    };
  } finally {
    await database.drop();
  }
}

async function serverVersion(database: BenchDatabase): Promise<string> {
  return withHandle(database, async (handle) => {
    const [row] = await handle.prisma.$queryRawUnsafe<{ server_version: string }[]>('SHOW server_version');
    return `PostgreSQL ${row.server_version}`;
  });
}
