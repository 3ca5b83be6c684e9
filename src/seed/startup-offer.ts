// What `npm start` does about demo data: on a database without a single user, seed it when SEED_DEMO_DATA
// is on (the default in development), else log how to get it. A database with users is never touched.
import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/client.js';
import { BcryptPool, PasswordHasher } from '../modules/identity/index.js';
import type { Logger } from '../server/logger.js';
import { DEFAULT_DEMO_CUSTOMERS, isEmptyDatabase, seedDemoData } from './demo-data.js';
import { DEMO_CUSTOMER_EMAIL, DEMO_STAFF } from './demo-logins.js';

export async function offerDemoData(config: Config, database: DatabaseHandle, log: Logger, now: Date): Promise<void> {
  if (!(await isEmptyDatabase(database.prisma))) return;
  if (!config.SEED_DEMO_DATA) {
    log.info('the database has no users: `npm run seed` adds demo data, `npm run user:create -- --role ADMIN …` a first admin');
    return;
  }
  const pool = new BcryptPool(1);
  try {
    const summary = await seedDemoData(database.prisma, { customers: DEFAULT_DEMO_CUSTOMERS, now, hasher: new PasswordHasher(pool, config.BCRYPT_COST) });
    log.info(
      { customers: summary.customersCreated, logins: [...DEMO_STAFF.map((login) => login.email), DEMO_CUSTOMER_EMAIL] },
      'empty database: demo data seeded (SEED_DEMO_DATA=false turns this off); the demo logins and their password are in README.md',
    );
  } finally {
    await pool.close();
  }
}
