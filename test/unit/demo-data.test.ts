// The demo data set's pure parts: reproducible histories covering every status, and logins that pass the
// password rules they will be checked against.
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from '../../src/modules/identity/password.policy.js';
import { demoCustomerPhone, planCustomerHistory } from '../../src/seed/customer-history.js';
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, DEMO_STAFF } from '../../src/seed/demo-logins.js';

const NOW = new Date('2026-06-15T06:30:00Z');
const DAY_MS = 86_400_000;

describe('demo customer histories', () => {
  it('cover every activation status within the first four customers', () => {
    expect(new Set([1, 2, 3, 4].map((n) => planCustomerHistory(n, NOW, 8).status))).toEqual(new Set(['NEW', 'ONBOARDED', 'ACTIVE', 'INACTIVE']));
  });

  it('are the same for the same number, and never in the future', () => {
    for (let n = 1; n <= 50; n += 1) {
      const history = planCustomerHistory(n, NOW, 8);
      expect(planCustomerHistory(n, NOW, 8)).toEqual(history);
      expect(history.phone).toBe(demoCustomerPhone(n));
      expect(history.signupAt.getTime()).toBeLessThan(NOW.getTime());
      for (const order of history.orders) {
        expect(order.placedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
        expect(order.placedAt.getTime()).toBeGreaterThanOrEqual(history.signupAt.getTime());
        if (order.deliveredAt) expect(order.deliveredAt.getTime()).toBeLessThan(NOW.getTime());
        for (const line of order.lines) expect(line.product).toBeLessThan(8);
      }
    }
  });

  it('derive the activation fields from the orders', () => {
    const active = planCustomerHistory(1, NOW, 8);
    expect(active.status).toBe('ACTIVE');
    expect(NOW.getTime() - active.signupAt.getTime()).toBeGreaterThan(60 * DAY_MS);
    expect(active.firstDeliveryAt).toEqual(active.orders[0].deliveredAt);
    expect(active.orders.at(-1)!.status).toBe('PLACED');
    const inactive = planCustomerHistory(4, NOW, 8);
    expect(inactive.status).toBe('INACTIVE');
    expect(NOW.getTime() - inactive.lastOrderAt!.getTime()).toBeGreaterThan(30 * DAY_MS);
    expect(inactive.churnedAt!.getTime()).toBe(inactive.lastOrderAt!.getTime() + 30 * DAY_MS);
    const fresh = planCustomerHistory(2, NOW, 8);
    expect([fresh.status, fresh.orders, fresh.firstOrderAt]).toEqual(['NEW', [], null]);
  });
});

describe('demo logins', () => {
  it('share a password that the password rules accept for each of them', () => {
    for (const login of [...DEMO_STAFF, { email: DEMO_CUSTOMER_EMAIL, phone: demoCustomerPhone(1) }]) {
      expect(() => checkPasswordPolicy('password', DEMO_PASSWORD, { email: login.email, phone: login.phone })).not.toThrow();
    }
  });
});
