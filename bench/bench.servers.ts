// Servers under test run as child processes, one at a time, each with the probe preload (event-loop delay
// and node-postgres statement count on a port of its own). The harness waits until the server answers.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/shared/project-root.js';

export const PROBE = path.join(PROJECT_ROOT, 'bench', 'probe.mjs');
export const BENCH_JWT_SECRET = 'bench-secret-that-is-at-least-32-bytes-long!!';

export interface EventLoopDelay {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  samples: number;
}

export interface ProbeSnapshot {
  eventLoop: EventLoopDelay;
  statements: number;
}

export interface ServerUnderTest {
  readonly name: string;
  readonly url: string;
  resetProbe(): Promise<void>;
  probe(): Promise<ProbeSnapshot>;
  stop(): Promise<void>;
}

export interface ProcessSpec {
  name: string;
  executable: string;
  args: string[];
  cwd: string;
  environment: Record<string, string>;
  port: number;
  /** Resolves true once the server at `base` answers. */
  isReady(base: string): Promise<boolean>;
  readyTimeoutMs?: number;
}

/** Ready when GET /healthz answers 2xx. */
export const healthy = (base: string) => fetch(`${base}/healthz`).then((response) => response.ok);

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startServerProcess(spec: ProcessSpec): Promise<ServerUnderTest> {
  const probePort = await freePort();
  const child = spawn(spec.executable, ['--import', PROBE, ...spec.args], {
    cwd: spec.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...spec.environment, BENCH_PROBE_PORT: String(probePort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const base = `http://127.0.0.1:${spec.port}`;
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode}:\n${output}`);
    const ready = await spec.isReady(base).catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${spec.name} did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const probeUrl = `http://127.0.0.1:${probePort}`;
  return {
    name: spec.name,
    url: `${base}/graphql`,
    resetProbe: async () => {
      await getJson(`${probeUrl}/reset`);
    },
    probe: () => getJson<ProbeSnapshot>(`${probeUrl}/snapshot`),
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}

export interface ProjectServerOptions {
  databaseEnvironment: Record<string, string>;
  bcryptCost: number;
  /** Node options before the entry point (the profiler's `--cpu-prof`, say). */
  nodeArgs?: string[];
}

/** This project, as production runs it (`node --import tsx src/main.ts`, NODE_ENV=production). */
export async function startProjectServer(options: ProjectServerOptions): Promise<ServerUnderTest> {
  const port = await freePort();
  return startServerProcess({
    name: 'this server',
    executable: process.execPath,
    args: [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'],
    cwd: PROJECT_ROOT,
    port,
    isReady: healthy,
    environment: {
      ...options.databaseEnvironment,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: BENCH_JWT_SECRET,
      LOG_LEVEL: 'warn',
      BCRYPT_COST: String(options.bcryptCost),
      // The load generator stands for many clients: each login carries its own X-Forwarded-For address.
      TRUST_PROXY: 'true',
      SWEEP_SCHEDULE: 'off',
      MESSAGE_DISPATCH: 'off',
      // The benchmark's admin signs in by password: a second factor adds one challenge at sign-in and
      // nothing to the queries measured here.
      MFA_REQUIRED_ROLES: 'none',
      // The scenarios send the benchmark's own documents (PostGraphile gets the same text), not only the
      // contract's trusted ones; resolving a trusted id is one map lookup on top of the same path.
      TRUSTED_DOCUMENTS: 'allow',
      BENCH: 'true',
    },
  });
}

/** The raw baseline: bare node:http and hand-written SQL (bench/raw-baseline.server.ts). */
export async function startRawBaseline(databaseEnvironment: Record<string, string>): Promise<ServerUnderTest> {
  const port = await freePort();
  return startServerProcess({
    name: 'raw baseline',
    executable: process.execPath,
    args: ['--import', 'tsx', 'bench/raw-baseline.server.ts'],
    cwd: PROJECT_ROOT,
    port,
    isReady: healthy,
    environment: { ...databaseEnvironment, PORT: String(port), JWT_SECRET: BENCH_JWT_SECRET, NODE_ENV: 'production' },
  });
}
