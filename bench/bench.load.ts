// Requests the harness sends itself (logins, samples) and the autocannon runs it starts in another process.
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../src/shared/project-root.js';
import type { LoadResult, LoadSpec } from './load.driver.js';
import { LOGIN_OPERATION } from './bench.operations.js';
import type { ServerUnderTest } from './bench.servers.js';

export type { LoadResult, LoadSpec };

export interface Request {
  body: string;
  headers: Record<string, string>;
}

let clientNumber = 0;
/** Another client address for each harness login, so the per-IP login throttle never answers. */
function nextClientAddress(): string {
  clientNumber += 1;
  return `192.168.${(clientNumber >> 8) & 255}.${clientNumber & 255}`;
}

export function graphqlRequest(operationName: string, query: string, variables: Record<string, unknown>, token?: string): Request {
  return {
    body: JSON.stringify({ operationName, query, variables }),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  };
}

export interface Sample {
  status: number;
  statements: number | null;
  body: any;
}

export async function send(url: string, request: Request): Promise<Sample> {
  const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const header = response.headers.get('x-sql-statements');
  return { status: response.status, statements: header === null ? null : Number(header), body: await response.json() };
}

/** One request that must succeed: the harness refuses to measure a server that answers with errors. */
export async function sendClean(url: string, request: Request, what: string): Promise<Sample> {
  const sample = await send(url, request);
  if (sample.status !== 200 || sample.body.errors) throw new Error(`${what}: ${sample.status} ${JSON.stringify(sample.body).slice(0, 500)}`);
  return sample;
}

export async function login(url: string, identifier: string, password: string): Promise<string> {
  const request = graphqlRequest('Login', LOGIN_OPERATION, { identifier, password });
  request.headers['x-forwarded-for'] = nextClientAddress();
  const sample = await sendClean(url, request, `login as ${identifier}`);
  return sample.body.data.login.accessToken as string;
}

/**
 * SQL statements one request sends: from the server's `x-sql-statements` header when it has one (this
 * project under BENCH=1, the raw baseline), else from the probe's node-postgres count over a few requests.
 */
export async function statementsPerRequest(server: ServerUnderTest, request: Request, what: string): Promise<number> {
  const first = await sendClean(server.url, request, what);
  if (first.statements !== null) return first.statements;
  const samples = 5;
  await server.resetProbe();
  for (let index = 0; index < samples; index += 1) await sendClean(server.url, request, what);
  return (await server.probe()).statements / samples;
}

/** Runs autocannon in a separate process (bench/load.driver.ts) and returns its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.driver.ts', JSON.stringify(spec)], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`load driver failed (${code}): ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult);
    });
  });
}
