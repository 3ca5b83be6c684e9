// npx tsx scripts/register-burst-bench.ts [--cost 12] [--registrations 40] [--bursts 2] [--logins 5] [--database-url postgresql://…]
// A real user's login latency alone and during a burst of registrations, at the production bcrypt cost:
// the figures of docs/benchmarks.md ("Login during a registration burst"). The server runs in this process
// over a fresh embedded PGlite (or the empty PostgreSQL database given), behind one trusted proxy, so each
// request can come from its own address. Two bursts: from as many addresses as registrations (what the
// per-address throttle cannot stop, so only the hashing pool's order protects the login), and from one
// address (which the throttle cuts at 30). In each burst, logins start 2 s in (every registration is then
// past its checks and waiting for, or running, its hash) and follow one another until the burst is over.
// Prints the medians and every timing.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/env.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/http.js';
import { createLogger } from '../src/server/logger.js';

const { values } = parseArgs({
  options: {
    cost: { type: 'string', default: '12' },
    registrations: { type: 'string', default: '40' },
    bursts: { type: 'string', default: '2' },
    logins: { type: 'string', default: '5' },
    'database-url': { type: 'string' },
  },
});
const registrations = Number(values.registrations);
const bursts = Number(values.bursts);
const logins = Number(values.logins);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bff-register-burst-'));
const config = parseConfig({
  NODE_ENV: 'test',
  DATA_DIR: dataDir,
  DATABASE_URL: values['database-url'],
  JWT_SECRET: 'register-burst-bench-secret-0123456789abcdef',
  BCRYPT_COST: values.cost,
  TRUST_PROXY: 'true',
  LOG_LEVEL: 'silent',
  SWEEP_SCHEDULE: 'off',
});
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
await applyMigrations(database.adapterFactory);
const app = await createApp({ config, database, log: createLogger('silent') });
const server = await listen(app, 0, '127.0.0.1');
const url = `http://127.0.0.1:${server.port}/graphql`;

let addresses = 0;
const newAddress = () => {
  addresses += 1;
  return `10.77.${(addresses >> 8) & 255}.${addresses & 255}`;
};
async function post(query: string, variables: Record<string, unknown>, address = newAddress()) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}
const codeOf = (answer: { errors?: { extensions?: { code?: string } }[] }) => answer.errors?.[0]?.extensions?.code ?? 'OK';

const PASSWORD = 'a long enough passphrase for the bench 7';
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`;
const LOGIN = `mutation($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { accessToken } }`;
let sequence = 0;
const register = (address?: string) => {
  sequence += 1;
  return post(REGISTER, { input: { name: 'Burst', password: PASSWORD, email: `burst.${sequence}.${Date.now()}@example.in` } }, address);
};

const userEmail = `real.user.${Date.now()}@example.in`;
const registered = await post(REGISTER, { input: { name: 'Real User', password: PASSWORD, email: userEmail } });
if (codeOf(registered) !== 'OK') throw new Error(`registration failed: ${JSON.stringify(registered.errors)}`);

async function timedLogin(): Promise<number> {
  const started = performance.now();
  const answer = await post(LOGIN, { identifier: userEmail, password: PASSWORD });
  const elapsed = performance.now() - started;
  if (codeOf(answer) !== 'OK') throw new Error(`login failed: ${JSON.stringify(answer.errors)}`);
  return elapsed;
}
const median = (timings: number[]) => [...timings].sort((left, right) => left - right)[Math.floor(timings.length / 2)];
const show = (timings: number[]) => `median ${median(timings).toFixed(0)} ms (${timings.map((timing) => timing.toFixed(0)).join(', ')})`;

async function loginsAlone(): Promise<number[]> {
  const timings: number[] = [];
  for (let run = 0; run < logins; run += 1) timings.push(await timedLogin());
  return timings;
}

/** Logins one after another from 2 s into each burst until it is over. */
async function loginsDuringBurst(addressOf: (index: number) => string | undefined) {
  const timings: number[] = [];
  const codes = new Map<string, number>();
  let burstMs = 0;
  for (let run = 0; run < bursts; run += 1) {
    const started = performance.now();
    let over = false;
    const burst = Promise.all(Array.from({ length: registrations }, (_, index) => register(addressOf(index)))).finally(() => {
      over = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    do timings.push(await timedLogin());
    while (!over);
    for (const answer of await burst) codes.set(codeOf(answer), (codes.get(codeOf(answer)) ?? 0) + 1);
    burstMs += performance.now() - started;
  }
  return { timings, codes: Object.fromEntries([...codes].map(([code, count]) => [code, count / bursts])), burstSeconds: burstMs / bursts / 1000 };
}

await timedLogin(); // warm-up: the dummy hash, prepared statements
console.log(
  `bcrypt cost ${config.BCRYPT_COST}, ${os.availableParallelism()} CPUs, ${registrations} registrations per burst, ${bursts} bursts, ${logins} logins alone, database ${database.kind}`,
);
console.log(`login alone: ${show(await loginsAlone())}`);
const spread = await loginsDuringBurst(() => undefined);
console.log(
  `login during a burst from ${registrations} addresses: ${show(spread.timings)}; burst answers per run ${JSON.stringify(spread.codes)}, ${spread.burstSeconds.toFixed(1)} s per burst`,
);
let burstAddress = '';
const single = await loginsDuringBurst((index) => {
  if (index === 0) burstAddress = newAddress();
  return burstAddress;
});
console.log(
  `login during a burst from one address: ${show(single.timings)}; burst answers per run ${JSON.stringify(single.codes)}, ${single.burstSeconds.toFixed(1)} s per burst`,
);

await server.close();
await app.close();
await database.close();
await rm(dataDir, { recursive: true, force: true });
