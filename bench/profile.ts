// npm run bench:profile -- --scenario NAME [options]: where this server's CPU goes under one scenario's load.
// The bench's data (BENCH_SEED) on a database of its own (BENCH_DATABASE_URL as an admin URL, else the local
// server, dropped afterwards); the production server under `node --cpu-prof`, loaded as `npm run bench` loads
// it; then the profile's busy time (idle left out) by where the code lives: each package, this project's
// code, Node's internals, garbage collection, and the functions that take the most.
//   --scenario NAME   Me, SupplierPortal, "Me (delivery boy)" or MyRoute (Me)
//   --duration S      seconds of profiled load (15) after --warmup S (3), --connections N (20)
//   --top N           functions listed by self time (15)
//   --keep DIR        keep the .cpuprofile in DIR (it opens in Chrome's DevTools); by default it is removed
import 'reflect-metadata';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, createBenchDatabase, LOCAL_ADMIN_URL } from './bench.database.js';
import { BENCH_PASSWORD, BENCH_SEED, seedBenchData } from './bench.seed.js';
import { login, runLoad, sendClean } from './bench.load.js';
import { SCENARIOS, scenarioRequests, type ScenarioName } from './comparison.section.js';
import { startProjectServer } from './bench.servers.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'Me' },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    top: { type: 'string', default: '15' },
    keep: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`bench:profile: ${message}\n`);
  process.exit(2);
}

function whole(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) fail(`--${name} must be a whole number`);
  return number;
}

const scenario = values.scenario as ScenarioName;
if (!SCENARIOS.includes(scenario)) fail(`--scenario must be one of ${SCENARIOS.map((name) => JSON.stringify(name)).join(', ')}`);
const duration = whole('duration', values.duration);
const warmup = whole('warmup', values.warmup);
const connections = whole('connections', values.connections);
const top = whole('top', values.top);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package (by its name), this project's code, Node itself, or the engine's own work. */
function placeOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)' || functionName === '(program)') return functionName;
    return 'V8 / native';
  }
  if (url.startsWith('node:')) return 'Node internals';
  const packagePath = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packagePath) return packagePath[1];
  const local = /\/(src|bench)\/(.*)$/.exec(url);
  if (local) return local[1] === 'src' ? `project: ${local[2].split('/').slice(0, 2).join('/')}` : 'bench probe';
  return url;
}

function summarise(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)!.callFrame;
    const place = placeOf(frame);
    if (place === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    places.set(place, (places.get(place) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'}  ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  return { busy, idle, places, functions };
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;

const database = await createBenchDatabase({ kind: 'postgres', adminUrl: process.env.BENCH_DATABASE_URL ?? LOCAL_ADMIN_URL }, 'bench_profile');
const folder = await mkdtemp(path.join(os.tmpdir(), 'bench-profile-'));
try {
  const handle = await database.open();
  const seeded = await seedBenchData(handle, BENCH_SEED).finally(async () => {
    await analyze(handle);
    await handle.close();
  });
  const server = await startProjectServer({
    databaseEnvironment: database.environment,
    bcryptCost: BENCH_SEED.bcryptCost,
    nodeArgs: ['--cpu-prof', '--cpu-prof-dir', folder],
  });
  let served = 0;
  try {
    const tokens = {
      customer: await login(server.url, seeded.customerEmail, BENCH_PASSWORD),
      supplier: await login(server.url, seeded.supplierEmail, BENCH_PASSWORD),
      deliveryBoy: await login(server.url, seeded.deliveryBoyEmail, BENCH_PASSWORD),
    };
    const request = scenarioRequests('this server', seeded, tokens, Math.min(100, BENCH_SEED.supplierOrders))[scenario];
    await sendClean(server.url, request, scenario);
    const spec = { url: server.url, connections, headers: request.headers, body: request.body };
    if (warmup > 0) await runLoad({ ...spec, durationSeconds: warmup });
    const load = await runLoad({ ...spec, durationSeconds: duration });
    if (load.failures > 0) throw new Error(`${scenario}: ${load.failures} of ${load.requests} answers failed under load`);
    served = load.requests;
    process.stdout.write(`${scenario}: ${load.requestsPerSecond} req/s, p99 ${load.latencyMs.p99} ms over ${duration} s (${connections} connections)\n`);
  } finally {
    await server.stop();
  }
  // One profile per thread (the bcrypt workers write theirs): the main thread's is the largest.
  const files = await Promise.all(
    (await readdir(folder)).filter((file) => file.endsWith('.cpuprofile')).map(async (file) => ({ file, size: (await stat(path.join(folder, file))).size })),
  );
  const main = files.sort((a, b) => b.size - a.size)[0]?.file;
  if (!main) throw new Error(`no profile was written in ${folder}`);
  const profile = JSON.parse(await readFile(path.join(folder, main), 'utf8')) as CpuProfile;
  const { busy, idle, places, functions } = summarise(profile);
  process.stdout.write(
    `busy ${(busy / 1e6).toFixed(2)} s of ${((busy + idle) / 1e6).toFixed(2)} s profiled (warm-up and start-up included); ` +
      `${(busy / 1e3 / Math.max(1, served)).toFixed(2)} ms busy per measured request\n\nwhere the busy time goes:\n`,
  );
  for (const [place, micros] of [...places].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${percent(micros, busy).padStart(7)}  ${place}\n`);
  }
  process.stdout.write(`\nfunctions by self time:\n`);
  for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`  ${percent(micros, busy).padStart(7)}  ${name}\n`);
  }
  if (values.keep) {
    await mkdir(values.keep, { recursive: true });
    await copyFile(path.join(folder, main), path.join(values.keep, main));
    process.stdout.write(`\nkept ${path.join(values.keep, main)}\n`);
  }
} finally {
  await rm(folder, { recursive: true, force: true });
  await database.drop();
}
