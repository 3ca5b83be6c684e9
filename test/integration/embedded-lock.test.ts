// One process at a time on an embedded data folder: a second server or command is refused with the reason
// and exit code 2, a kill -9 leaves a stale lock that the next start takes over (and says so), a clean stop
// removes the lock, and a kill -9 in the middle of a stream of orders loses none that were acknowledged.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { LOCK_FILE_NAME } from '../../src/db/data-dir-lock.js';
import { testDatabaseTarget } from '../support/database.js';
import { runScript, startServerProcess, type ServerProcess } from '../support/process.js';

let dataDir: string;
let environment: Record<string, string>;
const running = new Set<ServerProcess>();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'bff-lock-'));
  // No DATABASE_URL: the embedded database is the subject, whichever project runs the file.
  environment = {
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    JWT_SECRET: 'embedded-lock-test-secret-32-bytes-long',
    LOG_LEVEL: 'info',
    BCRYPT_COST: '4',
    SWEEP_SCHEDULE: 'off',
    SEED_DEMO_DATA: 'false',
  };
});
afterAll(async () => {
  for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await startServerProcess(environment);
  running.add(server);
  return server;
}

async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string }[] };
}

const lockFile = () => path.join(dataDir, LOCK_FILE_NAME);

describe.skipIf(testDatabaseTarget() === 'postgres')('the embedded data folder lock', () => {
  it('refuses a second server and every command while a server holds the folder, and a clean stop removes the lock', { timeout: 240_000 }, async () => {
    const first = await start();
    const owner = JSON.parse(await readFile(lockFile(), 'utf8')) as { pid: number };
    expect(owner.pid).toBe(first.child.pid);

    const second = await runScript('src/main.ts', [], environment);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`server: the embedded database in ${dataDir} is in use by process ${first.child.pid}`);
    for (const [script, program, args] of [
      ['scripts/user-create.ts', 'user:create', ['--role', 'ADMIN', '--email', 'second@dairy.example', '--password', 'lantern over the river 2026']],
      ['scripts/legacy-verify.ts', 'legacy:verify', []],
    ] as const) {
      const refused = await runScript(script, [...args], environment);
      expect(refused.code, script).toBe(2);
      expect(refused.stderr).toContain(`${program}: the embedded database in ${dataDir} is in use by process ${first.child.pid}`);
    }
    // The refused processes left the owner's lock alone.
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(first.child.pid);

    expect((await first.stop('SIGTERM')).code).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
  });

  it('takes over the lock of a process that is gone, or of a reused PID, and says so', { timeout: 240_000 }, async () => {
    const killed = await start();
    await killed.stop('SIGKILL');
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(killed.child.pid);
    const next = await start();
    expect(next.output()).toContain(`taking over the stale lock ${lockFile()}: its owner, process ${killed.child.pid}`);
    const nextStopped = await next.stop('SIGTERM');
    expect(nextStopped.code, `${nextStopped.stdout}\n${nextStopped.stderr}\n${next.child.signalCode}`).toBe(0);

    // A live PID (this test's own) whose start time is not the one recorded: another process now has it.
    await writeFile(lockFile(), JSON.stringify({ pid: process.pid, startTime: '1', token: 'old', acquiredAt: '2026-01-01T00:00:00.000Z' }));
    const afterReuse = await start();
    expect(afterReuse.output()).toContain(`its owner, process ${process.pid} (since 2026-01-01T00:00:00.000Z), is no longer running`);
    expect((await afterReuse.stop('SIGTERM')).code).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
  });

  it('loses no acknowledged order when the server is killed with SIGKILL under load', { timeout: 300_000 }, async () => {
    const created = await runScript('scripts/seed.ts', ['--customers', '1'], environment);
    expect(created.code, created.stderr).toBe(0);
    const server = await start();
    const login = await graphql(
      server.url,
      `
        mutation {
          login(identifier: "customer@dairy.example", password: "fresh milk at dawn 2026") {
            accessToken
          }
        }
      `,
    );
    expect(login.errors).toBeUndefined();
    const token = login.data.login.accessToken as string;
    const products = await graphql(
      server.url,
      `
        {
          products(first: 3) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      token,
    );
    expect(products.errors).toBeUndefined();
    const productIds = (products.data.products.edges as { node: { id: string } }[]).map((edge) => edge.node.id);
    const tomorrow = new Date(Date.now() + 5.5 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);

    // Four clients place orders; the kill comes after a random number of acknowledgements (bounded).
    const killAfter = 20 + Math.floor(Math.random() * 60);
    const acknowledged: string[] = [];
    let killed = false;
    let sent = 0;
    const client = async () => {
      while (!killed && sent < 400) {
        sent += 1;
        const placed = await graphql(
          server.url,
          `
            mutation ($input: PlaceOrderInput!) {
              placeOrder(input: $input) {
                id
              }
            }
          `,
          { input: { deliveryDate: tomorrow, items: [{ productId: productIds[sent % productIds.length], quantity: 1 }] } },
          token,
        ).catch(() => null);
        if (placed?.data?.placeOrder?.id) acknowledged.push(placed.data.placeOrder.id);
        else if (!killed) throw new Error(`order refused: ${JSON.stringify(placed?.errors)}`);
        if (!killed && acknowledged.length >= killAfter) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([client(), client(), client(), client()]);
    if (server.child.exitCode === null && server.child.signalCode === null) await new Promise((resolve) => server.child.once('close', resolve));
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    // A restart recovers the folder; after its clean stop every acknowledged order is in it.
    const restarted = await start();
    expect(restarted.output()).toContain('taking over the stale lock');
    expect((await restarted.stop('SIGTERM')).code).toBe(0);
    const database = await openDatabase({ dataDir });
    try {
      const found = await database.prisma.order.findMany({ where: { id: { in: acknowledged } }, select: { id: true } });
      expect(found.length).toBe(acknowledged.length);
    } finally {
      await database.close();
    }
  });
});
