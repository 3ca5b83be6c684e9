import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { buildDashboard, rate } from '../../src/modules/activation/dashboard.figures.js';
import { nextSweepTime } from '../../src/modules/activation/sweep.scheduler.js';
import { scrubSecrets } from '../../src/modules/messages/message.templates.js';
import { retryDelayMs } from '../../src/modules/messages/outbox.dispatcher.js';

describe('funnel rates', () => {
  it('rounds to 4 decimals and is null for an empty denominator', () => {
    expect(rate(2, 3)).toBe(0.6667);
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(1, 8)).toBe(0.125);
    expect(rate(0, 5)).toBe(0);
    expect(rate(5, 5)).toBe(1);
    expect(rate(0, 0)).toBeNull();
  });

  it('sums months and statuses and keeps months in order', () => {
    const asOf = new Date('2026-06-15T00:00:00Z');
    const figures = buildDashboard(
      asOf,
      [
        { month: '2026-03', status: 'ACTIVE', customers: 4, withFirstOrder: 4, retentionBase: 3 },
        { month: '2026-01', status: 'NEW', customers: 5, withFirstOrder: 0, retentionBase: 0 },
        { month: '2026-03', status: 'INACTIVE', customers: 2, withFirstOrder: 2, retentionBase: 1 },
        { month: '2026-01', status: 'ONBOARDED', customers: 1, withFirstOrder: 1, retentionBase: 0 },
      ],
      [
        { status: 'ACTIVE', paise: 123_456_78 },
        { status: 'INACTIVE', paise: 50 },
      ],
    );
    expect(figures).toMatchObject({ totalCustomers: 12, new: 5, onboarded: 1, active: 4, inactive: 2 });
    expect(figures.conversionFunnel).toEqual({ signupToFirstOrder: 0.5833, firstOrderToActive: 0.5714, activeRetention: 0.75 });
    expect(figures.revenueByStatus.active).toEqual({ paise: 12_345_678, formatted: '₹1,23,456.78' });
    expect(figures.revenueByStatus.new).toEqual({ paise: 0, formatted: '₹0.00' });
    expect(figures.bySignupMonth.map((month) => [month.month, month.totalCustomers])).toEqual([
      ['2026-01', 6],
      ['2026-03', 6],
    ]);
  });
});

describe('message retries', () => {
  it('doubles the wait from 5 seconds up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(30)).toBe(60 * 60 * 1000);
  });

  it('removes OTP codes and reset tokens from what is stored', () => {
    expect(scrubSecrets('OTP', { code: '123456' })).toEqual({ variables: {}, text: expect.not.stringContaining('123456') });
    const reset = scrubSecrets('PASSWORD_RESET', { token: 'abc-secret' });
    expect(reset.variables).toEqual({});
    expect(reset.text).toContain('[redacted]');
  });
});

describe('sweep schedule', () => {
  it('reads the cron expression in IST', () => {
    // 02:00 IST is 20:30 UTC the day before.
    expect(nextSweepTime('0 2 * * *', new Date('2026-06-15T06:30:00Z'))?.toISOString()).toBe('2026-06-15T20:30:00.000Z');
    expect(nextSweepTime('0 2 * * *', new Date('2026-06-15T20:30:00Z'))?.toISOString()).toBe('2026-06-16T20:30:00.000Z');
    expect(nextSweepTime('30 1 * * 1', new Date('2026-06-15T06:30:00Z'))?.toISOString()).toBe('2026-06-21T20:00:00.000Z');
  });
});
