import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '../../src/shared/errors.js';
import {
  IST_OFFSET_MS,
  addDays,
  formatDateOnly,
  istDateString,
  istMonthString,
  parseDateOnly,
  periodRange,
  startOfIstDay,
  type Period,
} from '../../src/shared/time.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => (date === null ? null : date.toISOString());

describe('IST_OFFSET_MS', () => {
  it('is five and a half hours', () => {
    expect(IST_OFFSET_MS).toBe(19_800_000);
  });
});

describe('periodRange', () => {
  // 2026-03-15 is a Sunday, 2026-03-16 a Monday; IST midnight is 18:30 UTC the previous day.
  it.each<[Period, string, string, string, string]>([
    ['TODAY', '2026-03-15T18:29:00.000Z', 'Sun 23:59 IST', '2026-03-14T18:30:00.000Z', '2026-03-15T18:30:00.000Z'],
    ['TODAY', '2026-03-15T18:29:59.999Z', 'last ms of Sun IST', '2026-03-14T18:30:00.000Z', '2026-03-15T18:30:00.000Z'],
    ['TODAY', '2026-03-15T18:30:00.000Z', 'Mon 00:00 IST', '2026-03-15T18:30:00.000Z', '2026-03-16T18:30:00.000Z'],
    ['TODAY', '2026-03-15T18:31:00.000Z', 'Mon 00:01 IST', '2026-03-15T18:30:00.000Z', '2026-03-16T18:30:00.000Z'],
    ['TODAY', '2026-03-16T00:00:00.000Z', 'UTC midnight is 05:30 IST', '2026-03-15T18:30:00.000Z', '2026-03-16T18:30:00.000Z'],
    ['TODAY', '2024-02-28T18:45:00.000Z', 'leap day 00:15 IST', '2024-02-28T18:30:00.000Z', '2024-02-29T18:30:00.000Z'],
    ['WEEK', '2026-03-15T18:29:00.000Z', 'Sun 23:59 IST', '2026-03-08T18:30:00.000Z', '2026-03-15T18:30:00.000Z'],
    ['WEEK', '2026-03-15T18:31:00.000Z', 'Mon 00:01 IST', '2026-03-15T18:30:00.000Z', '2026-03-22T18:30:00.000Z'],
    ['WEEK', '2026-03-15T20:00:00.000Z', 'Sunday in UTC, Monday in IST', '2026-03-15T18:30:00.000Z', '2026-03-22T18:30:00.000Z'],
    ['WEEK', '2026-03-18T06:00:00.000Z', 'Wednesday', '2026-03-15T18:30:00.000Z', '2026-03-22T18:30:00.000Z'],
    ['WEEK', '2026-03-22T18:29:59.999Z', 'last ms of the week', '2026-03-15T18:30:00.000Z', '2026-03-22T18:30:00.000Z'],
    ['WEEK', '2026-01-01T10:00:00.000Z', 'week across new year', '2025-12-28T18:30:00.000Z', '2026-01-04T18:30:00.000Z'],
    ['MONTH', '2026-03-31T18:29:00.000Z', '31 Mar 23:59 IST', '2026-02-28T18:30:00.000Z', '2026-03-31T18:30:00.000Z'],
    ['MONTH', '2026-03-31T18:31:00.000Z', '1 Apr 00:01 IST', '2026-03-31T18:30:00.000Z', '2026-04-30T18:30:00.000Z'],
    ['MONTH', '2026-12-31T18:29:00.000Z', '31 Dec 23:59 IST', '2026-11-30T18:30:00.000Z', '2026-12-31T18:30:00.000Z'],
    ['MONTH', '2026-12-31T18:31:00.000Z', '1 Jan 00:01 IST', '2026-12-31T18:30:00.000Z', '2027-01-31T18:30:00.000Z'],
    ['MONTH', '2024-02-29T12:00:00.000Z', 'leap February', '2024-01-31T18:30:00.000Z', '2024-02-29T18:30:00.000Z'],
    ['MONTH', '2026-02-15T12:00:00.000Z', 'common February', '2026-01-31T18:30:00.000Z', '2026-02-28T18:30:00.000Z'],
    ['MONTH', '2024-02-29T18:31:00.000Z', '1 Mar 00:01 IST after a leap day', '2024-02-29T18:30:00.000Z', '2024-03-31T18:30:00.000Z'],
  ])('%s at %s (%s)', (period, now, _label, from, to) => {
    expect(periodRange(period, at(now))).toEqual({ from: at(from), to: at(to) });
  });

  it('ALL_TIME is unbounded', () => {
    expect(periodRange('ALL_TIME', at('2026-03-15T18:29:00.000Z'))).toEqual({ from: null, to: null });
  });

  it('always contains now, starts at IST midnight and starts weeks on Monday', () => {
    const start = Date.UTC(2023, 0, 1);
    for (let step = 0; step < 2000; step += 1) {
      // An odd step in minutes walks through every time of day over the years.
      const now = new Date(start + step * 1_237 * 60_000);
      for (const period of ['TODAY', 'WEEK', 'MONTH'] as const) {
        const { from, to } = periodRange(period, now);
        expect(from!.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(to!.getTime()).toBeGreaterThan(now.getTime());
        const istFrom = new Date(from!.getTime() + IST_OFFSET_MS);
        expect(istFrom.getUTCHours() * 60 + istFrom.getUTCMinutes()).toBe(0);
        if (period === 'WEEK') expect(istFrom.getUTCDay()).toBe(1);
        if (period === 'MONTH') expect(istFrom.getUTCDate()).toBe(1);
      }
    }
  });

  it('rejects an invalid date', () => {
    expect(() => periodRange('TODAY', new Date(Number.NaN))).toThrow(RangeError);
  });

  it('rejects an unknown period', () => {
    expect(() => periodRange('YEAR' as Period, at('2026-03-15T00:00:00.000Z'))).toThrow(/period/);
  });
});

describe('istDateString and istMonthString', () => {
  it.each([
    ['2026-03-15T18:29:59.999Z', '2026-03-15', '2026-03'],
    ['2026-03-15T18:30:00.000Z', '2026-03-16', '2026-03'],
    ['2026-01-01T00:00:00.000Z', '2026-01-01', '2026-01'],
    ['2026-03-31T18:29:00.000Z', '2026-03-31', '2026-03'],
    ['2026-03-31T18:31:00.000Z', '2026-04-01', '2026-04'],
    ['2026-12-31T18:29:00.000Z', '2026-12-31', '2026-12'],
    ['2026-12-31T18:30:00.000Z', '2027-01-01', '2027-01'],
    ['2024-02-28T18:30:00.000Z', '2024-02-29', '2024-02'],
    ['2024-02-29T18:30:00.000Z', '2024-03-01', '2024-03'],
  ])('%s is %s in IST', (instant, date, month) => {
    expect(istDateString(at(instant))).toBe(date);
    expect(istMonthString(at(instant))).toBe(month);
  });

  it('rejects an invalid date', () => {
    expect(() => istDateString(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('startOfIstDay', () => {
  it.each([
    ['2026-03-16', '2026-03-15T18:30:00.000Z'],
    ['2024-02-29', '2024-02-28T18:30:00.000Z'],
    ['2027-01-01', '2026-12-31T18:30:00.000Z'],
  ])('%s starts at %s', (date, instant) => {
    expect(iso(startOfIstDay(date))).toBe(instant);
    expect(istDateString(startOfIstDay(date))).toBe(date);
  });

  it('rejects a date that does not exist', () => {
    expect(() => startOfIstDay('2026-02-30')).toThrow(/date/);
  });
});

describe('parseDateOnly', () => {
  it.each([
    ['2026-03-16', Date.UTC(2026, 2, 16)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2000-02-29', Date.UTC(2000, 1, 29)],
    ['2026-12-31', Date.UTC(2026, 11, 31)],
    ['2026-04-30', Date.UTC(2026, 3, 30)],
    ['9999-12-31', Date.UTC(9999, 11, 31)],
  ])('%s is UTC midnight', (value, ms) => {
    expect(parseDateOnly('input.date', value).getTime()).toBe(ms);
  });

  it('keeps years below 100 as written', () => {
    expect(parseDateOnly('d', '0099-12-31').getUTCFullYear()).toBe(99);
    expect(formatDateOnly(parseDateOnly('d', '0001-01-01'))).toBe('0001-01-01');
  });

  it.each([
    ['2026-02-29', 'not a leap year'],
    ['1900-02-29', 'century that is not a leap year'],
    ['2026-02-30', 'no such day'],
    ['2026-04-31', 'April has 30 days'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-01-00', 'day 0'],
    ['2026-01-32', 'day 32'],
    ['0000-01-01', 'year 0'],
    ['2026-1-5', 'unpadded'],
    ['20260316', 'no dashes'],
    ['2026/03/16', 'slashes'],
    ['2026-03-16T00:00:00Z', 'a date-time'],
    [' 2026-03-16', 'leading space'],
    ['2026-03-16 ', 'trailing space'],
    ['2026-03-16\n', 'trailing newline'],
    ['+2026-03-16', 'signed year'],
    ['２０２６-03-16', 'fullwidth digits'],
    ['', 'empty'],
  ])('rejects %j (%s)', (value) => {
    let error: unknown;
    try {
      parseDateOnly('input.date', value);
    } catch (thrown) {
      error = thrown;
    }
    expect(isAppError(error)).toBe(true);
    if (!isAppError(error)) return;
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions.field).toBe('input.date');
  });

  it('rejects a value that is not a string at run time', () => {
    expect(() => parseDateOnly('input.date', 20260316 as unknown as string)).toThrow(/input\.date/);
  });
});

describe('formatDateOnly', () => {
  it.each(['2026-03-16', '2024-02-29', '2026-12-31', '2027-01-01', '1999-09-09'])('round-trips %s', (value) => {
    expect(formatDateOnly(parseDateOnly('d', value))).toBe(value);
  });

  it('reads the UTC fields, whatever the time of day', () => {
    expect(formatDateOnly(at('2026-03-16T23:59:59.999Z'))).toBe('2026-03-16');
    expect(formatDateOnly(at('2026-03-16T00:00:00.000Z'))).toBe('2026-03-16');
  });

  it('rejects an invalid date', () => {
    expect(() => formatDateOnly(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-16', 0, '2026-03-16'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
  ])('%s plus %i days is %s', (start, days, expected) => {
    expect(formatDateOnly(addDays(parseDateOnly('d', start), days))).toBe(expected);
  });

  it('keeps the time of day of an instant', () => {
    expect(iso(addDays(at('2026-03-15T18:30:00.000Z'), 7))).toBe('2026-03-22T18:30:00.000Z');
  });

  it('does not modify its argument', () => {
    const start = at('2026-03-15T18:30:00.000Z');
    addDays(start, 3);
    expect(iso(start)).toBe('2026-03-15T18:30:00.000Z');
  });
});
