// `npm run seed -- --customers N` and the start-up seed of an empty development database: staff of every
// role, two suppliers with products, pending price changes, and N customers spread over every activation
// status with months of orders and deliveries (SPEC §10). Idempotent: what is there is kept.
import type { Database } from '../db/client.js';
import type { PasswordHasher, StoredPassword } from '../modules/identity/password.hasher.js';
import type { ActivationStatus } from '../generated/prisma/enums.js';
import { planCustomerHistory } from './customer-history.js';
import { seedCustomer } from './demo-customers.seeder.js';
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD } from './demo-logins.js';
import { seedPayouts, seedStaffAndCatalogue } from './demo-staff.seeder.js';

export const DEFAULT_DEMO_CUSTOMERS = 60;
export const MAX_DEMO_CUSTOMERS = 100_000;

interface SeedOptions {
  customers: number;
  now: Date;
  hasher: PasswordHasher;
  onProgress?(done: number, total: number): void;
}

interface SeedSummary {
  staffCreated: number;
  customersCreated: number;
  customersAlreadyThere: number;
  /** Statuses of the customers this run planned (created or already there). */
  byStatus: Record<ActivationStatus, number>;
}

export async function seedDemoData(db: Database, options: SeedOptions): Promise<SeedSummary> {
  if (!Number.isSafeInteger(options.customers) || options.customers < 0 || options.customers > MAX_DEMO_CUSTOMERS) {
    throw new RangeError(`customers must be a whole number from 0 to ${MAX_DEMO_CUSTOMERS}`);
  }
  // One bcrypt hash serves every demo login: they share the documented password.
  let hashed: Promise<StoredPassword> | undefined;
  const hashPassword = () => (hashed ??= options.hasher.hash(DEMO_PASSWORD));
  const catalogue = await seedStaffAndCatalogue(db, hashPassword, options.now);
  const summary: SeedSummary = {
    staffCreated: catalogue.created,
    customersCreated: 0,
    customersAlreadyThere: 0,
    byStatus: { NEW: 0, ONBOARDED: 0, ACTIVE: 0, INACTIVE: 0 },
  };
  for (let number = 1; number <= options.customers; number += 1) {
    const history = planCustomerHistory(number, options.now, catalogue.products.length);
    summary.byStatus[history.status] += 1;
    const login = number === 1 ? { email: DEMO_CUSTOMER_EMAIL, password: hashPassword } : undefined;
    if (await seedCustomer(db, history, catalogue, login)) summary.customersCreated += 1;
    else summary.customersAlreadyThere += 1;
    options.onProgress?.(number, options.customers);
  }
  await seedPayouts(db, catalogue, options.now);
  return summary;
}

/** The start-up offer (SEED_DEMO_DATA): a database without a single user is a fresh one. */
export async function isEmptyDatabase(db: Database): Promise<boolean> {
  return (await db.user.count()) === 0;
}
