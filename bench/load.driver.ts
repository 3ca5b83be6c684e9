// The load generator, run as a process of its own (`node --import tsx bench/load.driver.ts '<json spec>'`)
// so that driving the load never shares an event loop with the harness or the server under test. It runs
// autocannon and prints one JSON line: throughput, latency percentiles of every response, and how many
// answers were not clean (HTTP errors, GraphQL `errors`). A `login` load gives every request another
// seeded user and another client address (X-Forwarded-For), as a crowd of phones would.
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  overallRate?: number;
  headers: Record<string, string>;
  body: string;
  /** Login load: identifiers cycled through, each request from its own client address. */
  login?: { identifiers: string[]; password: string };
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  failures: number;
  durationSeconds: number;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

const round = (value: number) => Math.round(value * 100) / 100;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let sequence = 0;
  const onResponse = (status: number, body: string) => {
    if (status !== 200 || body.includes('"errors"')) failures += 1;
  };
  const login = spec.login;
  const setupRequest = login
    ? (request: Record<string, any>) => {
        sequence += 1;
        const identifier = login.identifiers[sequence % login.identifiers.length];
        const address = `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`;
        return {
          ...request,
          headers: { ...request.headers, 'x-forwarded-for': address },
          body: JSON.stringify({
            operationName: 'Login',
            query:
              'mutation Login($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { accessToken user { id } } }',
            variables: { identifier, password: login.password },
          }),
        };
      }
    : undefined;
  const started = Date.now();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    requests: [{ method: 'POST', headers: spec.headers, body: spec.body, onResponse, ...(setupRequest ? { setupRequest } : {}) }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await instance;
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerSecond: round(latencies.length / elapsed),
    latencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p95: round(percentile(latencies, 0.95)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
    failures: failures + result.errors + result.timeouts,
    durationSeconds: round(elapsed),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runLoad(JSON.parse(process.argv[2]) as LoadSpec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
