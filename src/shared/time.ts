// Calendar periods are Asia/Kolkata (SPEC §0). India has had a fixed UTC+05:30 offset and no daylight
// saving since 1945, so fixed-offset arithmetic is exact for every date this system sees and much faster
// than Intl on hot paths such as the dashboard and the delivery lists.
import { badUserInput } from './errors.js';

export const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export type Period = 'TODAY' | 'WEEK' | 'MONTH' | 'ALL_TIME';

interface PeriodRange {
  from: Date | null;
  to: Date | null;
}

function instantMs(instant: Date): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError('invalid date');
  return ms;
}

/** Milliseconds of 00:00 IST of the IST day containing `ms`. */
function istDayStartMs(ms: number): number {
  return Math.floor((ms + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

/** Half-open [from, to) range of the IST period containing `now`; ALL_TIME is unbounded on both sides. */
export function periodRange(period: Period, now: Date): PeriodRange {
  const ms = instantMs(now);
  switch (period) {
    case 'TODAY': {
      const from = istDayStartMs(ms);
      return { from: new Date(from), to: new Date(from + DAY_MS) };
    }
    case 'WEEK': {
      const dayStart = istDayStartMs(ms);
      const weekday = new Date(dayStart + IST_OFFSET_MS).getUTCDay(); // 0 = Sunday
      const from = dayStart - ((weekday + 6) % 7) * DAY_MS;
      return { from: new Date(from), to: new Date(from + 7 * DAY_MS) };
    }
    case 'MONTH': {
      const local = new Date(ms + IST_OFFSET_MS);
      const year = local.getUTCFullYear();
      const month = local.getUTCMonth();
      return {
        from: new Date(Date.UTC(year, month, 1) - IST_OFFSET_MS),
        to: new Date(Date.UTC(year, month + 1, 1) - IST_OFFSET_MS),
      };
    }
    case 'ALL_TIME':
      return { from: null, to: null };
    default: {
      const unknown: never = period;
      throw badUserInput('period', `unknown period ${String(unknown)}`);
    }
  }
}

/** YYYY-MM-DD of the IST calendar day containing `instant`. */
export function istDateString(instant: Date): string {
  return formatDateOnly(new Date(instantMs(instant) + IST_OFFSET_MS));
}

/** YYYY-MM of the IST calendar month containing `instant`. */
export function istMonthString(instant: Date): string {
  return istDateString(instant).slice(0, 7);
}

/** The instant of 00:00 IST on a YYYY-MM-DD calendar date. */
export function startOfIstDay(date: string): Date {
  return new Date(parseDateOnly('date', date).getTime() - IST_OFFSET_MS);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A strict YYYY-MM-DD that names a real calendar day, as UTC midnight (how Prisma stores `@db.Date`).
 */
export function parseDateOnly(field: string, value: string): Date {
  const match = typeof value === 'string' ? DATE_ONLY.exec(value) : null;
  if (!match) throw badUserInput(field, 'must be a date written YYYY-MM-DD');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw badUserInput(field, 'is not a calendar date');
  }
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  return date;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** YYYY-MM-DD from the UTC fields of a date-only value (the inverse of parseDateOnly). */
export function formatDateOnly(date: Date): string {
  const ms = instantMs(date);
  const value = new Date(ms);
  const year = String(value.getUTCFullYear()).padStart(4, '0');
  const month = String(value.getUTCMonth() + 1).padStart(2, '0');
  const day = String(value.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

/** Whole days on a fixed-length day: exact for date-only values and for IST, which has no DST. */
export function addDays(date: Date, days: number): Date {
  return new Date(instantMs(date) + days * DAY_MS);
}

const IST_DATE_TIME = new Intl.DateTimeFormat('en-IN', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' });

/** An instant as people in India read it, e.g. "15 Jun 2026, 12:00 pm IST". */
export function formatIstDateTime(instant: Date): string {
  return `${IST_DATE_TIME.format(instant)} IST`;
}
