// Money is integer paise everywhere (SPEC §0). Formatting and the legacy rupee conversion work on digit
// strings and integers, never on float arithmetic, so that every safe integer formats exactly and
// rounding happens on the decimal the user wrote (1.005 → 101), not on its binary approximation.
import { badUserInput } from './errors.js';

const MAX_PAISE_DEFAULT = 100_000_000_00;

export function formatPaise(paise: number): string {
  if (!Number.isSafeInteger(paise)) throw new RangeError(`not a whole number of paise: ${paise}`);
  const sign = paise < 0 ? '-' : '';
  const absolute = Math.abs(paise);
  const rupees = Math.floor(absolute / 100);
  const fraction = String(absolute % 100).padStart(2, '0');
  return `${sign}₹${groupIndian(String(rupees))}.${fraction}`;
}

/** 1234567 → 12,34,567: the last three digits, then groups of two. */
function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const lastThree = digits.slice(-3);
  let rest = digits.slice(0, -3);
  const groups: string[] = [];
  while (rest.length > 2) {
    groups.unshift(rest.slice(-2));
    rest = rest.slice(0, -2);
  }
  groups.unshift(rest);
  return `${groups.join(',')},${lastThree}`;
}

// Sign, integer part, fraction, exponent. `\d` without the u flag is ASCII 0-9 only.
const DECIMAL = /^([+-]?)([\d,]*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;
// Thousands separators as written in India (1,23,456) or elsewhere (123,456).
const GROUPED = /^(?:\d{1,2}(?:,\d{2})*,\d{3}|\d{1,3}(?:,\d{3})+)$/;

/**
 * Legacy rupee amounts (numbers or strings) to integer paise, rounding half away from zero on the decimal
 * representation. Null for anything that is not a finite number or does not fit in a safe integer.
 */
export function rupeesToPaise(value: number | string): number | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // String() gives the shortest decimal that round-trips, which is what the legacy system meant.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
    if (text.length === 0 || text.length > 64) return null;
  } else {
    return null;
  }
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, integerPart = '', fractionPart = '', exponentPart] = match;
  if (integerPart.includes(',') && !GROUPED.test(integerPart)) return null;
  const integerDigits = integerPart.replace(/,/g, '');
  if (integerDigits.length === 0 && fractionPart.length === 0) return null;

  const digits = integerDigits + fractionPart;
  // Position of the decimal point within `digits` once the value is multiplied by 100.
  const point = integerDigits.length + Number(exponentPart ?? 0) + 2;
  const significant = digits.replace(/^0+/, '');
  const leadingZeros = digits.length - significant.length;
  if (significant.length === 0) return 0;
  if (point - leadingZeros > 17) return null; // more than 17 integer digits cannot be a safe integer

  const whole = point <= 0 ? '' : digits.slice(0, point).padEnd(point, '0');
  const roundingDigit = point < 0 ? 0 : Number(digits.charAt(point) || '0');
  let paise = BigInt(whole || '0');
  if (roundingDigit >= 5) paise += 1n;
  if (paise > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const result = Number(paise);
  return sign === '-' && result !== 0 ? -result : result;
}

export function assertPaise(field: string, value: number, { min = 0, max = MAX_PAISE_DEFAULT }: { min?: number; max?: number } = {}): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw badUserInput(field, 'must be a whole number of paise');
  }
  if (value < min || value > max) {
    throw badUserInput(field, `must be between ${formatPaise(min)} and ${formatPaise(max)}`);
  }
}
