// Benchmarks 5 and 6, which need volume rather than concurrency: the activation dashboard over a large
// customer population (filled by scripts/activation-population.ts, PostgreSQL only), and the legacy import
// of a generated mongoexport folder (scripts/legacy-generate-export.ts, then scripts/legacy-import.ts under
// /usr/bin/time for its peak memory), each a child process the way an operator runs it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../src/shared/project-root.js';
import { BENCH_AS_OF } from './bench.seed.js';
import { graphqlRequest, sendClean } from './bench.load.js';
import { DASHBOARD_OPERATION } from './bench.operations.js';
import type { ServerUnderTest } from './bench.servers.js';

export interface DashboardResult {
  customers: number;
  runs: number;
  minMs: number;
  medianMs: number;
  maxMs: number;
  statementsPerRequest: number | null;
}

export interface LegacyImportResult {
  customers: number;
  seconds: number;
  peakRssMegabytes: number | null;
  report: Record<string, unknown> | null;
}

function runChild(command: string, args: string[], environment: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...environment } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout = (stdout + chunk).slice(-50_000)));
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-50_000)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function runScript(script: string, args: string[], environment: Record<string, string>) {
  const result = await runChild(process.execPath, ['--import', 'tsx', script, ...args], environment);
  if (result.code !== 0) throw new Error(`${script} failed (${result.code}): ${result.stderr.slice(-2000)}`);
  return result;
}

/** Adds generated customers (and their orders) until the database holds about `target` customers. */
export async function populateCustomers(databaseUrl: string, existing: number, target: number): Promise<void> {
  if (target <= existing) return;
  await runScript('scripts/activation-population.ts', ['--customers', String(target - existing), '--as-of', BENCH_AS_OF.toISOString()], {
    DATABASE_URL: databaseUrl,
  });
}

export async function measureDashboard(server: ServerUnderTest, adminToken: string, runs: number): Promise<DashboardResult> {
  const request = graphqlRequest('ActivationDashboard', DASHBOARD_OPERATION, { asOf: BENCH_AS_OF.toISOString() }, adminToken);
  // Money.paise is a 32-bit Int in the contract and overflows at a million customers (docs/activation.md):
  // the benchmark asks for `formatted` only, as the dashboard's own benchmark does.
  request.body = request.body.replace(/fragment MoneyParts on Money \{[^}]*\}/, 'fragment MoneyParts on Money { formatted }');
  const first = await sendClean(server.url, request, 'ActivationDashboard');
  const timings: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await sendClean(server.url, request, 'ActivationDashboard');
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    customers: first.body.data.activationDashboard.totalCustomers,
    runs,
    minMs: round(timings[0]),
    medianMs: round(timings[Math.floor(timings.length / 2)]),
    maxMs: round(timings[timings.length - 1]),
    statementsPerRequest: first.statements,
  };
}

/** Generates an export of `customers` customers and imports it into the given (empty) database. */
export async function measureLegacyImport(customers: number, databaseEnvironment: Record<string, string>): Promise<LegacyImportResult> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'bench-legacy-'));
  try {
    await runScript('scripts/legacy-generate-export.ts', ['--out', path.join(folder, 'export'), '--customers', String(customers)], {});
    const importArgs = [
      '--import',
      'tsx',
      'scripts/legacy-import.ts',
      '--dir',
      path.join(folder, 'export'),
      '--as-of',
      BENCH_AS_OF.toISOString(),
      '--report',
      path.join(folder, 'report.json'),
    ];
    const timed = existsSync('/usr/bin/time');
    const environment = { ...databaseEnvironment, LOG_LEVEL: 'warn' };
    const started = performance.now();
    const result = timed
      ? await runChild('/usr/bin/time', ['-v', process.execPath, ...importArgs], environment)
      : await runChild(process.execPath, importArgs, environment);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    if (result.code !== 0) throw new Error(`legacy import failed (${result.code}): ${result.stderr.slice(-2000)}`);
    const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
    const report = JSON.parse(await readFile(path.join(folder, 'report.json'), 'utf8').catch(() => 'null')) as Record<string, unknown> | null;
    return { customers, seconds, peakRssMegabytes: peak ? Math.round(Number(peak[1]) / 1024) : null, report };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
