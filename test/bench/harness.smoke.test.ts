// The benchmark harness end to end on tiny data (PGlite, about a second of load per run), so that
// `npm run bench` cannot rot. Benchmarks are not tests: nothing here asserts a timing.
import { describe, expect, it } from 'vitest';
import { runBenchmarks, type BenchResults } from '../../bench/harness.js';
import { renderMarkdown } from '../../bench/report.js';
import { SMOKE_OPTIONS } from '../../bench/smoke.options.js';

describe('bench harness (smoke run)', () => {
  let results: BenchResults;

  it('seeds, starts each server, drives load from another process and reports every benchmark', async () => {
    results = await runBenchmarks({ ...SMOKE_OPTIONS, log: () => {} });
    const runs = results.comparison.map((run) => `${run.server}/${run.scenario}`).sort();
    expect(runs).toEqual([
      'raw baseline/Me',
      'raw baseline/Me (delivery boy)',
      'raw baseline/MyRoute',
      'raw baseline/SupplierPortal',
      'this server/Me',
      'this server/Me (delivery boy)',
      'this server/MyRoute',
      'this server/SupplierPortal',
    ]);
    for (const run of results.comparison) {
      expect(run.load.requests).toBeGreaterThan(0);
      expect(run.load.failures).toBe(0);
      expect(run.statementsPerRequest).toBeGreaterThan(0);
      expect(run.eventLoop.samples).toBeGreaterThan(0);
    }
    expect(results.loginBurst!.logins.requests).toBeGreaterThan(0);
    expect(results.authorization.map((entry) => entry.rows)).toEqual([SMOKE_OPTIONS.seed.customers, SMOKE_OPTIONS.seed.customers]);
    expect(results.dashboard[0].customers).toBe(SMOKE_OPTIONS.seed.customers + 1);
  }, 120_000);

  it('has the raw baseline answer exactly what this server answers', () => {
    for (const scenario of ['Me', 'SupplierPortal', 'Me (delivery boy)', 'MyRoute']) {
      const digests = results.comparison.filter((run) => run.scenario === scenario).map((run) => run.answerDigest);
      expect(new Set(digests).size).toBe(1);
    }
  });

  it('renders the tables of docs/benchmarks.md', () => {
    const markdown = renderMarkdown(results);
    expect(markdown).toContain('| Me | this server |');
    expect(markdown).toContain('| Me (delivery boy) | raw baseline |');
    expect(markdown).toContain('| MyRoute | this server |');
    expect(markdown).toContain('Login burst');
    expect(markdown).toContain('Authorization cost');
  });
});
