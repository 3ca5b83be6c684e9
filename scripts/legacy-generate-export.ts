// npm-less helper for the scale benchmark: writes a synthetic mongoexport folder in the legacy format.
//   npx tsx scripts/legacy-generate-export.ts --out <folder> [--customers 20000] [--orders-per-customer 8] [--seed 1]
// Deterministic for a seed, with the usual traps: duplicate customers, phones in every format, logins
// that match by phone or email, ids as strings, ObjectId hex and $oid, dates in every form.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

function fail(message: string): never {
  process.stderr.write(
    `legacy-generate-export: ${message}\nusage: npx tsx scripts/legacy-generate-export.ts --out <folder> [--customers N] [--orders-per-customer N] [--seed N]\n`,
  );
  process.exit(2);
}

function readArguments() {
  try {
    const { values } = parseArgs({
      strict: true,
      options: {
        out: { type: 'string' },
        customers: { type: 'string', default: '20000' },
        'orders-per-customer': { type: 'string', default: '8' },
        seed: { type: 'string', default: '1' },
      },
    });
    if (!values.out) fail('--out is required');
    const customers = Number(values.customers);
    const ordersPerCustomer = Number(values['orders-per-customer']);
    if (!Number.isInteger(customers) || customers < 1) fail('--customers must be a positive whole number');
    if (!Number.isInteger(ordersPerCustomer) || ordersPerCustomer < 0) fail('--orders-per-customer must be a whole number');
    return { out: values.out, customers, ordersPerCustomer, seed: Number(values.seed) || 1 };
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

/** mulberry32: a small seeded generator, so the same seed gives the same export. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

class JsonLinesFile {
  private readonly stream;
  constructor(file: string) {
    this.stream = createWriteStream(file);
  }
  async write(document: unknown): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(document)}\n`)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const hex = (value: number, salt: number) => (value * 2654435761 + salt).toString(16).padStart(24, '0').slice(-24);
const PHONE_FORMS = [
  (digits: string) => `+91${digits}`,
  (digits: string) => `0${digits}`,
  (digits: string) => `${digits.slice(0, 5)} ${digits.slice(5)}`,
  (digits: string) => `+91-${digits}`,
  (digits: string) => `91${digits}`,
  (digits: string) => `(+91) ${digits}`,
];
const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const STATUSES = ['delivered', 'delivered', 'delivered', 'pending', 'out_for_delivery', 'not_delivered', 'cancelled'];

async function main(): Promise<void> {
  const options = readArguments();
  const next = random(options.seed);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  await mkdir(options.out, { recursive: true });
  const file = (name: string) => new JsonLinesFile(path.join(options.out, `${name}.json`));
  const [users, customers, boys, suppliers, products, subscriptions, orders, statuses] = [
    'users',
    'customers_v2',
    'delivery_boys',
    'suppliers',
    'products',
    'subscriptions_v2',
    'orders',
    'delivery_statuses',
  ].map(file);

  const boyCount = Math.max(3, Math.ceil(options.customers / 200));
  for (let index = 0; index < boyCount; index += 1) {
    await boys.write({
      _id: { $oid: hex(index, 7) },
      id: `BOY_${index}`,
      name: `Boy ${index}`,
      phone: `+9170${String(index).padStart(8, '0')}`,
      area_assigned: `Area ${index % 20}`,
      rate_per_delivery: 30 + (index % 3) * 5,
      payment_frequency: pick(['weekly', 'monthly']),
      status: 'active',
    });
  }
  for (let index = 0; index < 5; index += 1) {
    await suppliers.write({
      _id: { $oid: hex(index, 11) },
      id: `SUP_${index}`,
      name: `Dairy ${index}`,
      email: `dairy${index}@example.com`,
      phone: `+9171${String(index).padStart(8, '0')}`,
      products_supplied: [`PROD_${index * 4}`, `PROD_${index * 4 + 1}`, `PROD_${index * 4 + 2}`, `PROD_${index * 4 + 3}`],
      commission_rate: 10,
      is_active: true,
    });
  }
  for (let index = 0; index < 20; index += 1) {
    await products.write({
      _id: { $oid: hex(index, 13) },
      id: `PROD_${index}`,
      name: `Product ${index}`,
      unit: pick(['Liter', 'Kg', 'Packet']),
      price: 20 + (index % 7) * 5.5,
      ...(index % 2 ? { supplier_id: `SUP_${Math.floor(index / 4)}` } : {}),
    });
  }
  let subscriptionCount = 0;
  let orderCount = 0;
  for (let person = 0; person < options.customers; person += 1) {
    const digits = `${6 + (person % 4)}${String(100_000_000 + person * 7).slice(-9)}`;
    const created = START + Math.floor(next() * 500) * DAY;
    const customerId = `CUST_${person}`;
    const boy = Math.floor(next() * boyCount);
    await customers.write({
      _id: { $oid: hex(person, 3) },
      id: customerId,
      name: `Person ${person}`,
      phone: pick(PHONE_FORMS)(digits),
      address: `${person} Main Road`,
      area: `Area ${person % 20}`,
      status: pick(['active', 'trial', 'paused']),
      ...(person % 3 === 0 ? { email: `person${person}@mail.example` } : {}),
      created_at: { $date: new Date(created).toISOString() },
      delivery_boy_id: pick([`BOY_${boy}`, hex(boy, 7), { $oid: hex(boy, 7) }]),
    });
    // One customer in twenty was entered twice by the old system.
    if (person % 20 === 0)
      await customers.write({
        _id: { $oid: hex(person, 5) },
        id: `${customerId}_DUP`,
        name: `Person ${person}`,
        phone: pick(PHONE_FORMS)(digits),
        status: 'trial',
        created_at: new Date(created + DAY).toISOString().slice(0, 10),
      });
    for (let item = 0; item < 1 + (person % 2); item += 1) {
      subscriptionCount += 1;
      await subscriptions.write({
        id: `SUB_${person}_${item}`,
        [item ? 'customerId' : 'customer_id']: customerId,
        product_id: `PROD_${Math.floor(next() * 20)}`,
        mode: 'fixed_daily',
        default_qty: 1 + item,
        shift: 'morning',
        status: 'active',
      });
    }
    // Three in four have a login (matched by phone, or by email when they have one).
    if (person % 4 !== 3) {
      await users.write({
        _id: { $oid: hex(person, 1) },
        id: `USER_${person}`,
        name: `Person ${person}`,
        role: 'customer',
        ...(person % 3 === 0 ? { email: ` Person${person}@Mail.Example ` } : { phone: pick(PHONE_FORMS)(digits) }),
        password_hash: person % 2 ? `$2b$10$${'b'.repeat(53)}` : 'a'.repeat(64),
        is_active: true,
        created_at: { $date: { $numberLong: String(created - DAY) } },
      });
      for (let order = 0; order < options.ordersPerCustomer; order += 1) {
        orderCount += 1;
        const placed = created + Math.floor(next() * 540) * DAY + Math.floor(next() * 20) * 3_600_000;
        const quantity = 1 + Math.floor(next() * 3);
        const status = pick(STATUSES);
        const orderId = `ORD_${person}_${order}`;
        await orders.write({
          id: orderId,
          user_id: `USER_${person}`,
          order_type: 'one_time',
          items: [{ product_id: `PROD_${order % 20}`, quantity, price: 30.5, total: 30.5 * quantity }],
          total_amount: String(30.5 * quantity),
          delivery_date: new Date(placed + DAY).toISOString().slice(0, 10),
          status,
          delivery_boy_id: `BOY_${boy}`,
          created_at: { $date: new Date(placed).toISOString() },
          ...(status === 'delivered' && order % 2 ? { delivered_at: new Date(placed + DAY / 2).toISOString() } : {}),
        });
        if (status === 'out_for_delivery' && order % 2)
          await statuses.write({
            id: `DS_${orderId}`,
            order_id: orderId,
            customer_id: customerId,
            delivery_date: new Date(placed + DAY).toISOString().slice(0, 10),
            status: 'partially_delivered',
          });
      }
    }
  }
  await Promise.all([users, customers, boys, suppliers, products, subscriptions, orders, statuses].map((output) => output.close()));
  process.stdout.write(`wrote ${options.customers} customers, ${subscriptionCount} subscriptions, ${orderCount} orders to ${options.out}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
