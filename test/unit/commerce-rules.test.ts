// Pure commerce rules: commission split, weekly days, plannable dates, and whom an order is for.
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/auth/viewer.js';
import { checkPlannableDate, customerActedFor, MAX_DAYS_AHEAD } from '../../src/modules/orders/order.rules.js';
import { checkWeekdays } from '../../src/modules/orders/subscription.service.js';
import { splitCommission } from '../../src/modules/suppliers/index.js';
import { parseDateOnly } from '../../src/shared/time.js';

const viewer = (roles: Viewer['roles'] extends ReadonlySet<infer R> ? R[] : never, customerId: string | null = null): Viewer => ({
  userId: 'user',
  sessionId: 'session',
  roles: new Set(roles),
  customerId,
  deliveryBoyId: null,
  supplierId: null,
});
const CUSTOMER_ID = '01900000-0000-7000-8000-00000000000a';
const OTHER_ID = '01900000-0000-7000-8000-00000000000b';

describe('splitCommission', () => {
  it('takes the rate in basis points, rounds half up to the paisa, and keeps commission + net = gross', () => {
    expect(splitCommission(64_999, 1_250)).toEqual({ grossPaise: 64_999, commissionPaise: 8_125, netPaise: 56_874 });
    expect(splitCommission(5, 1_000)).toEqual({ grossPaise: 5, commissionPaise: 1, netPaise: 4 }); // 0.5 → 1
    expect(splitCommission(4, 1_000)).toEqual({ grossPaise: 4, commissionPaise: 0, netPaise: 4 }); // 0.4 → 0
    expect(splitCommission(0, 1_000).commissionPaise).toBe(0);
    expect(splitCommission(12_345, 0).netPaise).toBe(12_345);
    expect(splitCommission(12_345, 10_000).netPaise).toBe(0);
    const huge = Number.MAX_SAFE_INTEGER;
    const split = splitCommission(huge, 3_333);
    expect(split.commissionPaise + split.netPaise).toBe(huge);
  });

  it('refuses rates outside 0–10000 and negative or fractional gross', () => {
    expect(() => splitCommission(100, 10_001)).toThrow(RangeError);
    expect(() => splitCommission(-1, 1_000)).toThrow(RangeError);
    expect(() => splitCommission(1.5, 1_000)).toThrow(RangeError);
  });
});

describe('checkWeekdays', () => {
  it('needs ISO weekdays for WEEKLY, sorted and without repeats, and none for other patterns', () => {
    expect(checkWeekdays('WEEKLY', [7, 1, 1, 3])).toEqual([1, 3, 7]);
    expect(checkWeekdays('DAILY', null)).toEqual([]);
    for (const bad of [[], [0], [8], [1.5]]) expect(() => checkWeekdays('WEEKLY', bad)).toThrow(/input.weekdays/);
    expect(() => checkWeekdays('ALTERNATE_DAYS', [2])).toThrow(/only WEEKLY/);
  });
});

describe('checkPlannableDate', () => {
  const now = new Date('2026-06-14T20:00:00Z'); // 01:30 IST on 15 June
  it('accepts today in IST and up to the limit ahead, and refuses the IST yesterday', () => {
    expect(() => checkPlannableDate('date', parseDateOnly('d', '2026-06-15'), now)).not.toThrow();
    expect(() => checkPlannableDate('date', parseDateOnly('d', '2026-06-14'), now)).toThrow(/today \(2026-06-15\) or later/);
    const limit = new Date(Date.UTC(2026, 5, 15 + MAX_DAYS_AHEAD));
    expect(() => checkPlannableDate('date', limit, now)).not.toThrow();
    expect(() => checkPlannableDate('date', new Date(limit.getTime() + 86_400_000), now)).toThrow(/days ahead/);
  });
});

describe('customerActedFor', () => {
  it('is the caller for customers, who may not name anyone else', () => {
    expect(customerActedFor(viewer(['CUSTOMER'], CUSTOMER_ID), null, ['ADMIN'])).toBe(CUSTOMER_ID);
    expect(customerActedFor(viewer(['CUSTOMER'], CUSTOMER_ID), CUSTOMER_ID.toUpperCase(), ['ADMIN'])).toBe(CUSTOMER_ID);
    expect(() => customerActedFor(viewer(['CUSTOMER'], CUSTOMER_ID), OTHER_ID, ['ADMIN'])).toThrow(/only for yourself/);
  });

  it('is the named customer for the listed staff roles, who must name one', () => {
    expect(customerActedFor(viewer(['MARKETING_STAFF']), OTHER_ID, ['ADMIN', 'MARKETING_STAFF'])).toBe(OTHER_ID);
    expect(() => customerActedFor(viewer(['MARKETING_STAFF']), OTHER_ID, ['ADMIN'])).toThrow(/only for yourself/);
    expect(() => customerActedFor(viewer(['ADMIN']), null, ['ADMIN'])).toThrow(/name the customer/);
    expect(() => customerActedFor(viewer(['ADMIN']), 'nope', ['ADMIN'])).toThrow(/no such customer/);
  });
});
