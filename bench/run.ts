// npm run bench [-- options]: the benchmarks (docs/benchmarks.md) against a PostgreSQL server (BENCH_DATABASE_URL as
// an admin URL, else the local server); each run creates its own databases and drops them afterwards.
//   --rounds N                 comparison rounds (3)
//   --duration S               seconds of load per run (10), --warmup S (3), --connections N (20)
//   --no-postgraphile          skip the PostGraphile peer (it is installed into bench/.peer/ on first use)
//   --dashboard 10000,1000000  customer populations for the dashboard (10000; a million takes minutes)
//   --legacy N                 customers in the legacy import (20000; 0 skips it)
//   --login-burst S            seconds of each login-burst phase (15; 0 skips it)
//   --smoke                    tiny data on PGlite, no peer: what `npm test` runs (test/bench/)
//   --no-write                 print only (no bench/results/*.json, no docs/benchmarks.md)
import './production-mode.js';
import 'reflect-metadata';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/shared/project-root.js';
import { LOCAL_ADMIN_URL } from './bench.database.js';
import { BENCH_SEED } from './bench.seed.js';
import { runBenchmarks, type BenchOptions } from './harness.js';
import { renderConsole, updateBenchmarksDoc, writeResults } from './report.js';
import { SMOKE_OPTIONS } from './smoke.options.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    'no-postgraphile': { type: 'boolean', default: false },
    dashboard: { type: 'string', default: '10000' },
    legacy: { type: 'string', default: '20000' },
    'login-burst': { type: 'string', default: '15' },
    smoke: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
  },
});

function whole(name: string, value: string | undefined): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    process.stderr.write(`bench: --${name} must be a whole number\n`);
    process.exit(2);
  }
  return number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const options: BenchOptions = values.smoke
  ? { ...SMOKE_OPTIONS, log }
  : {
      database: { kind: 'postgres', adminUrl: process.env.BENCH_DATABASE_URL ?? LOCAL_ADMIN_URL },
      seed: BENCH_SEED,
      load: {
        connections: whole('connections', values.connections),
        durationSeconds: whole('duration', values.duration),
        warmupSeconds: whole('warmup', values.warmup),
      },
      rounds: Math.max(1, whole('rounds', values.rounds)),
      postgraphile: !values['no-postgraphile'],
      loginBurstSeconds: whole('login-burst', values['login-burst']),
      authorizationIterations: 40,
      dashboardCustomers: values.dashboard
        .split(',')
        .filter(Boolean)
        .map((size) => whole('dashboard', size)),
      dashboardRuns: 10,
      legacyCustomers: whole('legacy', values.legacy),
      log,
    };

const results = await runBenchmarks(options);
log('');
log(renderConsole(results));
if (!values['no-write'] && !values.smoke) {
  const file = await writeResults(results, path.join(PROJECT_ROOT, 'bench', 'results'));
  await updateBenchmarksDoc(results, path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'));
  log(`\nwrote ${path.relative(PROJECT_ROOT, file)} and docs/benchmarks.md`);
}
