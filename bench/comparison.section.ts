// Benchmarks 1 and 2: `Me` (a customer with 20 orders × 2 items) and the supplier portal (100 orders) on
// this server, the PostGraphile peer and the raw baseline. Servers run one at a time, in rounds (this
// server first: its login issues the round's tokens, good for 15 minutes), so every ratio compares
// figures taken minutes apart on the same machine, and repeated rounds show the noise.
import { createHash } from 'node:crypto';
import type { SeededData } from './bench.seed.js';
import { graphqlRequest, runLoad, sendClean, statementsPerRequest, type LoadResult, type Request } from './bench.load.js';
import { ME_OPERATION, POSTGRAPHILE_ME, POSTGRAPHILE_SUPPLIER_PORTAL, SUPPLIER_PORTAL_OPERATION } from './bench.operations.js';
import type { EventLoopDelay, ServerUnderTest } from './bench.servers.js';

export type ServerName = 'this server' | 'PostGraphile' | 'raw baseline';
export type ScenarioName = 'Me' | 'SupplierPortal';

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
}

export function scenarioRequests(server: ServerName, seeded: SeededData, tokens: Tokens, supplierPage: number): Record<ScenarioName, Request> {
  if (server === 'PostGraphile') {
    return {
      Me: graphqlRequest('Me', POSTGRAPHILE_ME, { userId: seeded.customerUserId }),
      SupplierPortal: graphqlRequest('SupplierPortal', POSTGRAPHILE_SUPPLIER_PORTAL, { userId: seeded.supplierUserId, first: supplierPage }),
    };
  }
  return {
    Me: graphqlRequest('Me', ME_OPERATION, {}, tokens.customer),
    SupplierPortal: graphqlRequest('SupplierPortal', SUPPLIER_PORTAL_OPERATION, { first: supplierPage }, tokens.supplier),
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
  for (const scenario of Object.keys(requests) as ScenarioName[]) {
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
