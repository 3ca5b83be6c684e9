// Turns the loosely typed values of a legacy export into plain values. EJSON (relaxed) has already
// turned $oid into ObjectId, $date into Date, $numberInt/$numberLong/$numberDouble into numbers and
// $numberDecimal into Decimal128; what is left are the legacy system's own habits: numbers written as
// strings, dates as ISO or YYYY-MM-DD strings, ids as strings, ObjectId hex or ObjectId.
import { rupeesToPaise } from '../shared/money.js';
import { formatDateOnly, istDateString, parseDateOnly, startOfIstDay } from '../shared/time.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// A date-time with no zone: the legacy Python service wrote naive UTC (datetime.utcnow()).
const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function bsonTypeOf(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' ? (value as { _bsontype?: string })._bsontype : undefined;
}

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/** The first present value among the fields: how the camelCase aliases are read. */
export function firstPresent(document: Record<string, unknown>, ...fields: string[]): unknown {
  for (const field of fields) if (isPresent(document[field])) return document[field];
  return undefined;
}

export function asText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  const type = bsonTypeOf(value);
  // From the bytes in one piece: toHexString() concatenates twelve pairs into a rope of string nodes, which a
  // large export keeps for every id it indexes.
  if (type === 'ObjectId') return Buffer.from((value as { id: Uint8Array }).id).toString('hex');
  if (type === 'Decimal128' || type === 'Long' || type === 'Int32' || type === 'Double') return String(value);
  return null;
}

/** An id that refers to another document: its `id` string, its ObjectId hex, or an ObjectId. */
export function asReference(value: unknown): string | null {
  const text = asText(value);
  return text === null ? null : text;
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = typeof value === 'string' ? value.trim() : bsonTypeOf(value) ? String(value) : null;
  if (text === null || text === '') return null;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

/** Rupees (number, numeric string or Decimal128) to integer paise, rounded on the decimal written. */
export function asPaise(value: unknown): number | null {
  if (typeof value === 'number') return rupeesToPaise(value);
  if (typeof value === 'string') return rupeesToPaise(value);
  if (bsonTypeOf(value)) return rupeesToPaise(String(value));
  return null;
}

export function asBoolean(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (['true', 'yes', '1'].includes(text)) return true;
    if (['false', 'no', '0'].includes(text)) return false;
  }
  return fallback;
}

function isValidDateOnly(text: string): boolean {
  try {
    parseDateOnly('date', text);
    return true;
  } catch {
    return false;
  }
}

/** An instant: a Date, an ISO string (naive means UTC), YYYY-MM-DD (00:00 IST) or epoch milliseconds. */
export function asInstant(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return Number.isFinite(value) ? new Date(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (DATE_ONLY.test(text)) return isValidDateOnly(text) ? startOfIstDay(text) : null;
  const parsed = new Date(NAIVE_DATE_TIME.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** A calendar day as YYYY-MM-DD; an instant counts as the IST day it falls on. */
export function asDateOnly(value: unknown): string | null {
  if (typeof value === 'string' && DATE_ONLY.test(value.trim())) {
    return isValidDateOnly(value.trim()) ? value.trim() : null;
  }
  const instant = asInstant(value);
  return instant ? istDateString(instant) : null;
}

/** YYYY-MM-DD to the UTC-midnight Date that Prisma stores in a `@db.Date` column. */
export function dateColumn(date: string): Date {
  return parseDateOnly('date', date);
}

export function dateColumnText(date: Date): string {
  return formatDateOnly(date);
}

export function asTextList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(asReference).filter((item): item is string => item !== null);
}
