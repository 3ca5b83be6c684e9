// Benchmarks 1 and 2: `Me` (a customer with 20 orders × 2 items) and the supplier portal (100 orders), then
// `Me` of a delivery boy (his earnings in four periods, unpaid balance, last payout) and his `MyRoute` (today's
// orders of his 1,000 customers with their items), on this server, the PostGraphile peer and the raw baseline.
// Servers run one at a time, in rounds (this server first: its login issues the round's tokens, good for 15
// minutes), so every ratio compares figures taken minutes apart on the same machine, and repeated rounds show
// the noise.
import { createHash } from 'node:crypto';
import { istDateString } from '../src/shared/time.js';
import type { SeededData } from './bench.seed.js';
import { graphqlRequest, runLoad, sendClean, statementsPerRequest, type LoadResult, type Request } from './bench.load.js';
import {
  ME_OPERATION,
  MY_ROUTE_OPERATION,
  POSTGRAPHILE_DELIVERY_BOY_ME,
  POSTGRAPHILE_ME,
  POSTGRAPHILE_MY_ROUTE,
  POSTGRAPHILE_SUPPLIER_PORTAL,
  SUPPLIER_PORTAL_OPERATION,
} from './bench.operations.js';
import type { EventLoopDelay, ServerUnderTest } from './bench.servers.js';

export type ServerName = 'this server' | 'PostGraphile' | 'raw baseline';
export type ScenarioName = 'Me' | 'SupplierPortal' | 'Me (delivery boy)' | 'MyRoute';

/** In the order each server is loaded with them (and the report lists them). */
export const SCENARIOS: readonly ScenarioName[] = ['Me', 'SupplierPortal', 'Me (delivery boy)', 'MyRoute'];

export interface ComparisonRun {
  round: number;
  server: ServerName;
  scenario: ScenarioName;
  load: LoadResult;
  statementsPerRequest: number;
  eventLoop: EventLoopDelay;
  /** SHA-256 of the first answer: the raw baseline must answer exactly what this server answers. */
  answerDigest: string;
}

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface Tokens {
  customer: string;
  supplier: string;
  deliveryBoy: string;
}

export function scenarioRequests(server: ServerName, seeded: SeededData, tokens: Tokens, supplierPage: number): Record<ScenarioName, Request> {
  if (server === 'PostGraphile') {
    return {
      Me: graphqlRequest('Me', POSTGRAPHILE_ME, { userId: seeded.customerUserId }),
      SupplierPortal: graphqlRequest('SupplierPortal', POSTGRAPHILE_SUPPLIER_PORTAL, { userId: seeded.supplierUserId, first: supplierPage }),
      'Me (delivery boy)': graphqlRequest('Me', POSTGRAPHILE_DELIVERY_BOY_ME, { userId: seeded.deliveryBoyUserId }),
      // Today in IST when the requests are made: the route the contract operation answers for.
      MyRoute: graphqlRequest('MyRoute', POSTGRAPHILE_MY_ROUTE, { userId: seeded.deliveryBoyUserId, today: istDateString(new Date()) }),
    };
  }
  return {
    Me: graphqlRequest('Me', ME_OPERATION, {}, tokens.customer),
    SupplierPortal: graphqlRequest('SupplierPortal', SUPPLIER_PORTAL_OPERATION, { first: supplierPage }, tokens.supplier),
    'Me (delivery boy)': graphqlRequest('Me', ME_OPERATION, {}, tokens.deliveryBoy),
    MyRoute: graphqlRequest('MyRoute', MY_ROUTE_OPERATION, {}, tokens.deliveryBoy),
  };
}

/** Loads one running server with each scenario in turn; a short warm-up first lets the JIT and caches settle. */
export async function measureServer(
  server: ServerUnderTest,
  name: ServerName,
  requests: Record<ScenarioName, Request>,
  settings: LoadSettings,
  round: number,
): Promise<ComparisonRun[]> {
  const runs: ComparisonRun[] = [];
  for (const scenario of SCENARIOS) {
    const request = requests[scenario];
    const answer = await sendClean(server.url, request, `${name} ${scenario}`);
    const answerDigest = createHash('sha256').update(JSON.stringify(answer.body)).digest('hex');
    const statements = await statementsPerRequest(server, request, `${name} ${scenario}`);
    const spec = { url: server.url, connections: settings.connections, headers: request.headers, body: request.body };
    if (settings.warmupSeconds > 0) await runLoad({ ...spec, durationSeconds: settings.warmupSeconds });
    await server.resetProbe();
    const load = await runLoad({ ...spec, durationSeconds: settings.durationSeconds });
    const { eventLoop } = await server.probe();
    if (load.failures > 0) throw new Error(`${name} ${scenario}: ${load.failures} of ${load.requests} answers failed under load`);
    runs.push({ round, server: name, scenario, load, statementsPerRequest: statements, eventLoop, answerDigest });
  }
  return runs;
}
