// The smoke run of the harness that `npm test` does (test/bench/harness.smoke.test.ts) and `npm run bench
// -- --smoke`: tiny data on PGlite (no database server needed), about a second of load per run, no peer.
// It proves the harness still works end to end; its figures mean nothing.
import type { BenchOptions } from './harness.js';

export const SMOKE_OPTIONS: Omit<BenchOptions, 'log'> = {
  database: { kind: 'pglite' },
  seed: { customers: 12, supplierOrders: 6, meOrders: 4, loginUsers: 4, pastDeliveries: 6, bcryptCost: 10 },
  load: { connections: 2, durationSeconds: 1, warmupSeconds: 0 },
  rounds: 1,
  postgraphile: false,
  loginBurstSeconds: 2,
  authorizationIterations: 3,
  dashboardCustomers: [],
  dashboardRuns: 2,
  legacyCustomers: 0,
};
