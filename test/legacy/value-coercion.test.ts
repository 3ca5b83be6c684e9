import { ObjectId, Decimal128 } from 'bson';
import { describe, expect, it } from 'vitest';
import { asBoolean, asDateOnly, asInstant, asNumber, asPaise, asReference, firstPresent } from '../../src/legacy/value-coercion.js';
import { classifyPasswordHash } from '../../src/legacy/password-hashes.js';

describe('legacy value coercion', () => {
  it('reads numbers written as numbers, strings and BSON numbers', () => {
    expect(asNumber(3)).toBe(3);
    expect(asNumber(' 52.5 ')).toBe(52.5);
    expect(asNumber(Decimal128.fromString('7.25'))).toBe(7.25);
    expect(asNumber('abc')).toBeNull();
    expect(asNumber(null)).toBeNull();
  });

  it('converts rupees to paise with rounding on the written decimal', () => {
    expect(asPaise(52.5)).toBe(5250);
    expect(asPaise('150.5')).toBe(15050);
    expect(asPaise(Decimal128.fromString('52.50'))).toBe(5250);
    expect(asPaise(1.005)).toBe(101);
    expect(asPaise('n/a')).toBeNull();
  });

  it('reads instants as Date, ISO (naive is UTC), YYYY-MM-DD (00:00 IST) and epoch milliseconds', () => {
    expect(asInstant(new Date('2025-03-01T06:30:00Z'))?.toISOString()).toBe('2025-03-01T06:30:00.000Z');
    expect(asInstant('2025-03-13T03:00:00Z')?.toISOString()).toBe('2025-03-13T03:00:00.000Z');
    expect(asInstant('2025-03-13T03:00:00')?.toISOString()).toBe('2025-03-13T03:00:00.000Z');
    expect(asInstant('2025-03-13T08:30:00+05:30')?.toISOString()).toBe('2025-03-13T03:00:00.000Z');
    expect(asInstant('2025-03-13')?.toISOString()).toBe('2025-03-12T18:30:00.000Z');
    expect(asInstant(1740810600000)?.toISOString()).toBe('2025-03-01T06:30:00.000Z');
    expect(asInstant('2025-02-30')).toBeNull();
    expect(asInstant('yesterday')).toBeNull();
  });

  it('reads calendar days, taking an instant as its IST day', () => {
    expect(asDateOnly('2026-06-04')).toBe('2026-06-04');
    expect(asDateOnly(new Date('2026-06-03T20:00:00Z'))).toBe('2026-06-04');
    expect(asDateOnly('2026-06-03T10:00:00Z')).toBe('2026-06-03');
    expect(asDateOnly('2026-13-01')).toBeNull();
  });

  it('reads references written as id strings, ObjectId hex and ObjectId', () => {
    expect(asReference('BOY_001')).toBe('BOY_001');
    expect(asReference('867347214cdd2055930d6eaf')).toBe('867347214cdd2055930d6eaf');
    expect(asReference(new ObjectId('867347214cdd2055930d6eaf'))).toBe('867347214cdd2055930d6eaf');
    expect(asReference(42)).toBe('42');
    expect(asReference({})).toBeNull();
  });

  it('reads the first present alias and booleans in their usual spellings', () => {
    expect(firstPresent({ customerId: 'C1' }, 'customer_id', 'customerId')).toBe('C1');
    expect(firstPresent({ customer_id: 'C0', customerId: 'C1' }, 'customer_id', 'customerId')).toBe('C0');
    expect(firstPresent({ customer_id: '  ' }, 'customer_id', 'customerId')).toBeUndefined();
    expect(asBoolean('false', true)).toBe(false);
    expect(asBoolean(undefined, true)).toBe(true);
  });

  it('classifies legacy password hashes', () => {
    const bcrypt = `$2b$10$${'b'.repeat(53)}`;
    expect(classifyPasswordHash(bcrypt)).toEqual({ kind: 'hash', hash: bcrypt, scheme: 'BCRYPT' });
    expect(classifyPasswordHash('A'.repeat(64))).toEqual({ kind: 'hash', hash: 'a'.repeat(64), scheme: 'SHA256' });
    expect(classifyPasswordHash('hunter2')).toEqual({ kind: 'unrecognised' });
    expect(classifyPasswordHash(null)).toEqual({ kind: 'none' });
  });
});
