// DATABASE_URL=postgresql://… npx tsx scripts/activation-dashboard-bench.ts --email <admin> --password '…' [--runs 10]
// Times the ActivationDashboard contract operation end to end (HTTP → Apollo → shield → service → SQL)
// against the database of DATABASE_URL, e.g. one filled by scripts/activation-population.ts, the service
// alone, and as the baseline of the same run one aggregate over every customer (bench/dashboard-scan.ts),
// whose figures it also checks the service's against. Prints min / median / max of the timed runs after
// one warm-up run.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.js';
import { scanDashboardRows } from '../bench/dashboard-scan.js';
import { openDatabaseOrExit } from '../src/db/client.js';
import { buildDashboard } from '../src/modules/activation/dashboard.figures.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/http.js';
import { createLogger } from '../src/server/logger.js';

const { values } = parseArgs({
  options: { email: { type: 'string' }, password: { type: 'string' }, runs: { type: 'string', default: '10' }, 'as-of': { type: 'string' } },
});
if (!values.email || !values.password) throw new Error('give --email and --password of an ADMIN user');
const runs = Number(values.runs);
const config = loadConfig();
const database = await openDatabaseOrExit('activation-dashboard-bench', {
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  poolSize: config.DATABASE_POOL_SIZE,
});
const app = await createApp({ config, database, log: createLogger('silent') });
const server = await listen(app, 0, '127.0.0.1');
const url = `http://127.0.0.1:${server.port}/graphql`;

async function post(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

const login = await post(`mutation($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { accessToken } }`, {
  identifier: values.email,
  password: values.password,
});
if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);
const token = (login.data.login as { accessToken: string }).accessToken;

const money = (parts: string) => `new { ${parts} } onboarded { ${parts} } active { ${parts} } inactive { ${parts} }`;
const dashboardQuery = (moneyParts: string) => `query ActivationDashboard($asOf: DateTime, $signupFrom: DateTime, $signupTo: DateTime) {
  activationDashboard(asOf: $asOf, signupFrom: $signupFrom, signupTo: $signupTo) {
    asOf totalCustomers new onboarded active inactive
    conversionFunnel { signupToFirstOrder firstOrderToActive activeRetention }
    revenueByStatus { ${money(moneyParts)} }
    bySignupMonth { month totalCustomers new onboarded active inactive }
  }
}`;

function summary(timings: number[]) {
  const sorted = [...timings].sort((left, right) => left - right);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `min ${sorted[0].toFixed(0)} ms, median ${median.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`;
}

async function time(label: string, work: () => Promise<unknown>) {
  await work();
  const timings: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    timings.push(performance.now() - started);
  }
  console.log(`${label}: ${summary(timings)} (${runs} runs after a warm-up)`);
}

const variables = values['as-of'] ? { asOf: values['as-of'] } : {};
const sample = await post(dashboardQuery('formatted'), variables, token);
if (!sample.data) throw new Error(JSON.stringify(sample.errors));
const figures = sample.data.activationDashboard as {
  totalCustomers: number;
  new: number;
  onboarded: number;
  active: number;
  inactive: number;
  bySignupMonth: unknown[];
  conversionFunnel: unknown;
  revenueByStatus: unknown;
};
console.log(
  `customers ${figures.totalCustomers} (new ${figures.new}, onboarded ${figures.onboarded}, active ${figures.active}, inactive ${figures.inactive}), months ${figures.bySignupMonth.length}`,
);
console.log(`funnel ${JSON.stringify(figures.conversionFunnel)}; revenue ${JSON.stringify(figures.revenueByStatus)}`);
const withPaise = await post(dashboardQuery('paise formatted'), variables, token);
if (withPaise.errors) console.log(`with Money.paise selected: ${withPaise.errors.map((error) => error.message).join('; ')}`);

await time('GraphQL activationDashboard over HTTP', async () => {
  const answer = await post(dashboardQuery('formatted'), variables, token);
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
});
await time('GraphQL with a signup cohort (one year)', async () => {
  const answer = await post(
    dashboardQuery('formatted'),
    { ...variables, signupFrom: '2025-06-01T00:00:00+05:30', signupTo: '2026-06-01T00:00:00+05:30' },
    token,
  );
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
});
// Bounds off IST midnight: the partial days at both ends are read customer by customer.
const partialDays = { signupFrom: new Date('2025-06-01T10:17:00+05:30'), signupTo: new Date('2026-05-31T15:45:00+05:30') };
await time('GraphQL with a cohort ending inside days', async () => {
  const answer = await post(
    dashboardQuery('formatted'),
    { ...variables, signupFrom: partialDays.signupFrom.toISOString(), signupTo: partialDays.signupTo.toISOString() },
    token,
  );
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
});
const asOf = values['as-of'] ? new Date(values['as-of']) : new Date();
await time('service only (the tally)', () => app.services.activationDashboard.dashboard({ asOf }));
const cutoff = new Date(asOf.getTime() - 30 * 86_400_000);
await time('baseline: one aggregate over every customer', () => scanDashboardRows(database.prisma, { signupFrom: null, signupTo: null }, cutoff));
for (const filter of [{ signupFrom: null, signupTo: null }, partialDays]) {
  const scanned = await scanDashboardRows(database.prisma, filter, cutoff);
  const served = await app.services.activationDashboard.dashboard({ asOf, ...filter });
  const same = JSON.stringify(buildDashboard(asOf, scanned.cohortRows, scanned.revenueRows)) === JSON.stringify(served);
  console.log(`figures ${filter.signupFrom ? 'of the cohort' : 'of everyone'} ${same ? 'equal' : 'DIFFER FROM'} the full scan's`);
}

await server.close();
await app.close();
await database.close();
