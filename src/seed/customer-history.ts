// The demo history of customer number n, as a pure function of n and "now", so a seed is reproducible
// and the activation fields always agree with the orders (the same rules as SPEC §4 and the importer):
//   NEW        signed up in the last weeks, never ordered;
//   ONBOARDED  one order placed for tomorrow, nothing delivered yet;
//   ACTIVE     months of deliveries every one to three days, the latest a day ago, one placed for tomorrow;
//   INACTIVE   delivered for a few weeks, then nothing for more than 30 days (churnedAt = last order + 30 d).
import type { ActivationStatus } from '../generated/prisma/enums.js';
import { addDays, DAY_MS, istDateString, parseDateOnly, startOfIstDay } from '../shared/time.js';

// The first four customers cover every status, so even `--customers 4` shows the whole funnel.
const STATUS_CYCLE: readonly ActivationStatus[] = ['ACTIVE', 'NEW', 'ONBOARDED', 'INACTIVE', 'ACTIVE', 'ACTIVE', 'NEW', 'ACTIVE', 'INACTIVE', 'ONBOARDED'];
const FIRST_NAMES = [
  'Aarav',
  'Ananya',
  'Vihaan',
  'Diya',
  'Arjun',
  'Ishaan',
  'Meera',
  'Kabir',
  'Saanvi',
  'Rohan',
  'Priya',
  'Aditya',
  'Kavya',
  'Nikhil',
  'Pooja',
  'Rahul',
  'Sneha',
  'Vikram',
  'Lakshmi',
  'Farhan',
];
const LAST_NAMES = ['Sharma', 'Iyer', 'Patel', 'Reddy', 'Nair', 'Gupta', 'Khan', 'Menon', 'Joshi', 'Das', 'Kulkarni', 'Singh'];
export const DEMO_AREAS = ['Indiranagar', 'Koramangala', 'HSR Layout', 'Jayanagar', 'Whitefield', 'Malleshwaram'];

interface PlannedOrder {
  placedAt: Date;
  deliveryDate: Date;
  status: 'PLACED' | 'DELIVERED';
  deliveredAt: Date | null;
  /** Indexes into the demo product list, with quantities. */
  lines: { product: number; quantity: number }[];
}

export interface CustomerHistory {
  number: number;
  name: string;
  phone: string;
  area: string;
  address: string;
  status: ActivationStatus;
  signupAt: Date;
  orders: PlannedOrder[];
  firstOrderAt: Date | null;
  firstDeliveryAt: Date | null;
  lastOrderAt: Date | null;
  churnedAt: Date | null;
}

/** A small deterministic generator (mulberry32): the same n always gives the same customer. */
function randomFor(seed: number): () => number {
  let state = seed * 2654435761;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Demo customers' phones: +91 70000 00000 + n, a range no real seed data uses. */
export function demoCustomerPhone(n: number): string {
  return `+9170${String(n).padStart(8, '0')}`;
}

function orderOn(day: Date, random: () => number, productCount: number, delivered: boolean): PlannedOrder {
  // `day` is 00:00 IST: placed at 20:00 IST the evening before, delivered from 06:30 IST.
  const lines = [{ product: Math.floor(random() * Math.min(productCount, 3)), quantity: 1 + Math.floor(random() * 2) }];
  if (random() < 0.35) lines.push({ product: 3 + Math.floor(random() * Math.max(1, productCount - 3)), quantity: 1 });
  return {
    placedAt: new Date(day.getTime() - 4 * 3_600_000),
    deliveryDate: parseDateOnly('deliveryDate', istDateString(day)),
    status: delivered ? 'DELIVERED' : 'PLACED',
    deliveredAt: delivered ? new Date(day.getTime() + 6.5 * 3_600_000 + Math.floor(random() * 40) * 60_000) : null,
    lines: mergeLines(lines),
  };
}

function mergeLines(lines: { product: number; quantity: number }[]) {
  const byProduct = new Map<number, number>();
  for (const line of lines) byProduct.set(line.product, (byProduct.get(line.product) ?? 0) + line.quantity);
  return [...byProduct].map(([product, quantity]) => ({ product, quantity }));
}

export function planCustomerHistory(n: number, now: Date, productCount: number): CustomerHistory {
  const random = randomFor(n);
  const status = STATUS_CYCLE[(n - 1) % STATUS_CYCLE.length];
  const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)];
  const last = LAST_NAMES[Math.floor(random() * LAST_NAMES.length)];
  const area = DEMO_AREAS[n % DEMO_AREAS.length];
  // `today` is the start of the current IST day, as an instant.
  const today = startOfIstDay(istDateString(now));
  const daysAgo = (days: number) => addDays(today, -days);
  const orders: PlannedOrder[] = [];
  let signupAt: Date;
  if (status === 'NEW') {
    signupAt = new Date(daysAgo(1 + Math.floor(random() * 40)).getTime() + Math.floor(random() * 12) * 3_600_000);
  } else if (status === 'ONBOARDED') {
    signupAt = new Date(daysAgo(2 + Math.floor(random() * 5)).getTime() + 3_600_000);
    orders.push(orderOn(addDays(today, 1), random, productCount, false));
  } else if (status === 'ACTIVE') {
    const months = 2 + Math.floor(random() * 4);
    signupAt = new Date(daysAgo(months * 30 + 1).getTime() + 3 * 3_600_000);
    for (let day = months * 30; day >= 1; day -= 1 + Math.floor(random() * 3)) orders.push(orderOn(daysAgo(day), random, productCount, true));
    orders.push(orderOn(addDays(today, 1), random, productCount, false));
  } else {
    const churnedDaysAgo = 35 + Math.floor(random() * 60);
    const activeDays = 14 + Math.floor(random() * 40);
    signupAt = new Date(daysAgo(churnedDaysAgo + activeDays + 1).getTime() + 3 * 3_600_000);
    for (let day = churnedDaysAgo + activeDays; day >= churnedDaysAgo; day -= 1 + Math.floor(random() * 3)) {
      orders.push(orderOn(daysAgo(day), random, productCount, true));
    }
  }
  // Tomorrow's order was placed a moment ago, not this evening.
  for (const order of orders) if (order.placedAt > now) order.placedAt = new Date(now.getTime() - 5 * 60_000);
  const firstOrderAt = orders[0]?.placedAt ?? null;
  const lastOrderAt = orders.at(-1)?.placedAt ?? null;
  const firstDeliveryAt = orders.find((order) => order.deliveredAt)?.deliveredAt ?? null;
  return {
    number: n,
    name: `${first} ${last}`,
    phone: demoCustomerPhone(n),
    area,
    address: `${1 + Math.floor(random() * 300)}, ${1 + Math.floor(random() * 18)}th Cross, ${area}, Bengaluru`,
    status,
    signupAt,
    orders,
    firstOrderAt,
    firstDeliveryAt,
    lastOrderAt,
    churnedAt: status === 'INACTIVE' && lastOrderAt ? new Date(lastOrderAt.getTime() + 30 * DAY_MS) : null,
  };
}
