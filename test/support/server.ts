// Starts the real HTTP server on a random port over a fresh test database, and sends real GraphQL requests.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import { parseConfig, type Config } from '../../src/config/env.js';
import { createApp, type App } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/http.js';
import { createLogger } from '../../src/server/logger.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { MFA_OFF } from './second-factor.js';

export interface GraphQLResponse<T = any> {
  status: number;
  /** SQL statements the request ran (x-sql-statements). */
  statements: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestServer {
  app: App;
  database: TestDatabase;
  clock: ManualClock;
  server: RunningServer;
  url: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { token?: string; headers?: Record<string, string> }): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** `logDestination` receives the server's pino lines (set LOG_LEVEL in `overrides` to see them). */
export async function startTestServer(
  overrides: Record<string, string> = {},
  clock = new ManualClock('2026-06-15T06:30:00Z'),
  options: { logDestination?: DestinationStream } = {},
): Promise<TestServer> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bff-test-'));
  const config: Config = parseConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'silent',
    SWEEP_SCHEDULE: 'off',
    // Stated, not defaulted: most tests sign admins in by password alone. The production default (ADMIN)
    // is tested by the second-factor tests, which pass MFA_REQUIRED_ROLES themselves (test/support/second-factor.ts).
    ...MFA_OFF,
    ...overrides,
  });
  const log = createLogger(config.LOG_LEVEL, options.logDestination);
  const app = await createApp({ config, database, log, clock });
  const server = await listen(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${server.port}/graphql`;
  return {
    app,
    database,
    clock,
    server,
    url,
    async gql(query, variables = {}, options = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse;
      // Work queued after an answer (a reset message) is done before the test looks at its effects.
      await app.services.auth.settled();
      return { ...body, status: response.status, statements: Number(response.headers.get('x-sql-statements') ?? -1) };
    },
    async close() {
      await server.close();
      await app.close();
      await database.close();
    },
  };
}
