// Bench-only preload (`node --import ./bench/probe.mjs …`) for every server under test: this project's,
// the raw baseline and PostGraphile (which runs under another Node, hence plain JavaScript). It measures
// the event-loop delay of the process it is loaded into with perf_hooks.monitorEventLoopDelay, and counts
// the SQL statements sent through node-postgres (Client#query), and serves both on BENCH_PROBE_PORT:
//   GET /reset     starts a new measurement window
//   GET /snapshot  { eventLoop: { p50Ms, p99Ms, maxMs, meanMs }, statements }
// Nothing here runs unless the harness starts a server with this preload; production never loads it.
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const port = Number(process.env.BENCH_PROBE_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('bench probe: set BENCH_PROBE_PORT');

// The histogram records the whole interval between timer ticks, so the 1 ms sampling resolution is
// subtracted: the figures are the delay beyond the tick, i.e. how long the loop was busy elsewhere.
const RESOLUTION_MS = 1;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
let statements = 0;

// The server's own copy of pg, resolved from its working directory, so the count sees its queries.
try {
  const require = createRequire(path.join(process.cwd(), 'noop.js'));
  const pg = require('pg');
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    statements += 1;
    return original.apply(this, args);
  };
} catch {
  // No node-postgres in this process (PGlite): statements are counted by the server itself.
}

const toMs = (nanoseconds) => Math.max(0, Math.round((nanoseconds / 1e6 - RESOLUTION_MS) * 100) / 100);

const probe = http.createServer((request, response) => {
  if (request.url === '/reset') {
    histogram.reset();
    statements = 0;
  }
  const body = JSON.stringify({
    eventLoop: {
      p50Ms: toMs(histogram.percentile(50)),
      p99Ms: toMs(histogram.percentile(99)),
      maxMs: toMs(histogram.max),
      meanMs: toMs(histogram.mean),
      samples: histogram.count,
    },
    statements,
  });
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(body);
});
probe.unref();
probe.listen(port, '127.0.0.1');
