// A PostgreSQL cluster and a Redis server of a test's own, which the test may stop, freeze (SIGSTOP) and
// start again without touching the shared servers; and the real HTTP server over them, its log captured.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config/env.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { createApp } from '../../src/server/app.js';
import { listen } from '../../src/server/http.js';
import { createLogger } from '../../src/server/logger.js';
import { ManualClock } from '../../src/shared/clock.js';
import type { GraphQLResponse, TestServer } from './server.js';
import { MFA_OFF } from './second-factor.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function postgresBin(name: string): string {
  const version = readdirSync('/usr/lib/postgresql').sort().at(-1);
  return `/usr/lib/postgresql/${version}/bin/${name}`;
}

/** Runs a PostgreSQL tool as the postgres OS user (the server refuses to run as root). */
function asPostgres(tool: string, args: string[]): void {
  const command = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', postgresBin(tool), ...args]] : [postgresBin(tool), args];
  execFileSync(command[0] as string, command[1] as string[], { stdio: 'ignore', timeout: 60_000 });
}

export interface PrivatePostgres {
  readonly url: string;
  start(): void;
  /** Immediate shutdown: connections are cut, as when the server crashes. */
  stop(): void;
  /** SIGSTOP (or SIGCONT) to the postmaster and every backend: connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  destroy(): void;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bff-fault-pg-'));
  if (process.getuid?.() === 0) {
    const [uid, gid] = ownerOfPostgres();
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  asPostgres('initdb', ['-A', 'trust', '-U', 'postgres', '-D', data]);
  const pids = (): number[] => {
    const postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  };
  let running = false;
  const handle: PrivatePostgres = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start() {
      asPostgres('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
      running = true;
    },
    stop() {
      asPostgres('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
      running = false;
    },
    freeze() {
      for (const pid of pids()) process.kill(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of pids()) process.kill(pid, 'SIGCONT');
    },
    destroy() {
      if (running) {
        try {
          handle.thaw();
          handle.stop();
        } catch {
          // already stopped
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  handle.start();
  return handle;
}

function ownerOfPostgres(): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('no postgres OS user');
  const fields = line.split(':');
  return [Number(fields[2]), Number(fields[3])];
}

export interface PrivateRedis {
  readonly url: string;
  readonly process: ChildProcess;
  kill(): Promise<void>;
  freeze(): void;
  thaw(): void;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore', timeout: 2_000 });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    process: child,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
  };
}

export interface FaultServer extends TestServer {
  /** Every line the server logged, as written. */
  readonly lines: string[];
  /** The parsed lines whose msg is this. */
  logged(msg: string): Record<string, any>[];
}

/** The real app and HTTP server over `url` (migrated here), with the given timeouts, logging at info. */
export async function startFaultServer(url: string, overrides: Record<string, string> = {}): Promise<FaultServer> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.length > 0),
      );
      done();
    },
  });
  const config = parseConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'bff-fault-')),
    JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
    BCRYPT_COST: '4',
    LOG_LEVEL: 'info',
    SWEEP_SCHEDULE: 'off',
    DATABASE_URL: url,
    ...MFA_OFF,
    ...overrides,
  });
  const database = await openDatabase({
    url,
    poolSize: 4,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
  });
  await applyMigrations(database.adapterFactory);
  const clock = new ManualClock('2026-06-15T06:30:00Z');
  const log = createLogger(config.LOG_LEVEL, destination);
  const app = await createApp({ config, database, log, clock });
  const server = await listen(app, 0, '127.0.0.1');
  const endpoint = `http://127.0.0.1:${server.port}/graphql`;
  return {
    app,
    database,
    clock,
    server,
    url: endpoint,
    lines,
    logged: (msg) => lines.map((line) => JSON.parse(line) as Record<string, any>).filter((entry) => entry.msg === msg),
    async gql<T = any>(query: string, variables: Record<string, unknown> = {}, options: { token?: string; headers?: Record<string, string> } = {}) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse<T>;
      return { ...body, status: response.status, statements: Number(response.headers.get('x-sql-statements') ?? -1) };
    },
    async close() {
      await server.close();
      await app.close();
      await database.close();
    },
  };
}
