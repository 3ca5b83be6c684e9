// npm run bench:authorization [-- options]: only the authorization cost (authorization.section.ts), on a
// database of its own (BENCH_DATABASE_URL as an admin URL, else the local server), dropped afterwards.
//   --iterations N   timed samples (ten executions each) per caller and schema (40, as in `npm run bench`)
//   --repeat N       measurements on the same data, each printed (3): their spread is this figure's noise
//   --json           one JSON line per measurement instead of text
import './production-mode.js';
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { analyze, createBenchDatabase, LOCAL_ADMIN_URL } from './bench.database.js';
import { seedBenchData } from './bench.seed.js';
import { measureAuthorization } from './authorization.section.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '40' },
    repeat: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});

function whole(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    process.stderr.write(`bench:authorization: --${name} must be a whole number of at least 1\n`);
    process.exit(2);
  }
  return number;
}

const iterations = whole('iterations', values.iterations);
const repeat = whole('repeat', values.repeat);
const customers = 1000;
const database = await createBenchDatabase({ kind: 'postgres', adminUrl: process.env.BENCH_DATABASE_URL ?? LOCAL_ADMIN_URL }, 'bench_authz');
try {
  const handle = await database.open();
  try {
    const seeded = await seedBenchData(handle, { customers, supplierOrders: 1, meOrders: 1, loginUsers: 1, pastDeliveries: 1, bcryptCost: 4 });
    await analyze(handle);
    for (let run = 1; run <= repeat; run += 1) {
      const results = await measureAuthorization(handle, seeded, { rows: customers, iterations });
      for (const entry of results) {
        process.stdout.write(
          values.json
            ? `${JSON.stringify({ run, ...entry })}\n`
            : `run ${run}  ${entry.caller}: ${entry.baseMedianMs} → ${entry.protectedMedianMs} ms  ${entry.ratio}× (p10–p90 ${entry.ratioP10}–${entry.ratioP90})\n`,
        );
      }
    }
  } finally {
    await handle.close();
  }
} finally {
  await database.drop();
}
