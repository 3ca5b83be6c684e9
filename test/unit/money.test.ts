import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '../../src/shared/errors.js';
import { assertPaise, formatPaise, rupeesToPaise } from '../../src/shared/money.js';
import { caught } from '../support/caught.js';

describe('formatPaise', () => {
  it.each([
    [0, '₹0.00'],
    [5, '₹0.05'],
    [50, '₹0.50'],
    [99, '₹0.99'],
    [100, '₹1.00'],
    [12_345, '₹123.45'],
    [99_999, '₹999.99'],
    [100_000, '₹1,000.00'],
    [123_400, '₹1,234.00'],
    [10_000_000, '₹1,00,000.00'],
    [12_345_650, '₹1,23,456.50'],
    [100_000_000, '₹10,00,000.00'],
    [1_000_000_000, '₹1,00,00,000.00'],
    [-123_400, '-₹1,234.00'],
    [-5, '-₹0.05'],
    [-0, '₹0.00'],
    [Number.MAX_SAFE_INTEGER, '₹9,00,71,99,25,47,409.91'],
    [-Number.MAX_SAFE_INTEGER, '-₹9,00,71,99,25,47,409.91'],
  ])('%d paise → %s', (paise, expected) => {
    expect(formatPaise(paise)).toBe(expected);
  });

  it.each([[1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [Number.MAX_SAFE_INTEGER + 1]])(
    'refuses %d, which is not a safe whole number of paise',
    (paise) => {
      expect(() => formatPaise(paise)).toThrow(RangeError);
    },
  );
});

describe('rupeesToPaise', () => {
  it.each<[number | string, number]>([
    [0, 0],
    [30, 3000],
    [52.5, 5250],
    [30.5, 3050],
    [1.005, 101],
    [1.004, 100],
    [0.1 + 0.2, 30],
    [30.499999999, 3050],
    [30.494999999, 3049],
    [0.005, 1],
    [0.0049, 0],
    [-52.5, -5250],
    [-1.005, -101],
    [-0.004, 0],
    [1e-7, 0],
    [1e3, 100_000],
    [90_071_992_547_409.9, 9_007_199_254_740_990],
    ['52.5', 5250],
    ['52.50', 5250],
    ['52.', 5200],
    ['.5', 50],
    [' 30 ', 3000],
    ['\u00a030\t', 3000],
    ['+30', 3000],
    ['-30.25', -3025],
    ['1,234.50', 123_450],
    ['1,23,456.50', 12_345_650],
    ['1,234,567', 123_456_700],
    ['0001.50', 150],
    ['1.005', 101],
    ['2.675', 268],
    ['1e2', 10_000],
    ['1.5E-1', 15],
    ['90071992547409.91', 9_007_199_254_740_991],
  ])('%s → %d paise', (value, expected) => {
    expect(rupeesToPaise(value)).toBe(expected);
  });

  it('never answers negative zero', () => {
    expect(Object.is(rupeesToPaise('-0'), 0)).toBe(true);
    expect(Object.is(rupeesToPaise(-0.001), 0)).toBe(true);
  });

  it.each<[number | string]>([
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
    [1e20],
    [90_071_992_547_409.92],
    ['90071992547409.92'],
    ['1e999'],
    [''],
    ['   '],
    ['.'],
    ['-'],
    ['abc'],
    ['12abc'],
    ['1.2.3'],
    ['1,2'],
    ['12,34'],
    [',123'],
    ['123,'],
    ['1,,234'],
    ['1.234,5'],
    ['₹30'],
    ['0x10'],
    ['Infinity'],
    ['NaN'],
    ['١٢'],
    ['１２'],
    ['--5'],
    ['5-'],
    ['1'.repeat(65)],
  ])('%s → null', (value) => {
    expect(rupeesToPaise(value)).toBeNull();
  });

  it('rejects values that are not numbers or strings at run time', () => {
    expect(rupeesToPaise(null as unknown as string)).toBeNull();
    expect(rupeesToPaise({} as unknown as string)).toBeNull();
  });
});

describe('assertPaise', () => {
  it.each<[number, { min?: number; max?: number } | undefined]>([
    [0, undefined],
    [100, undefined],
    [100_000_000_00, undefined],
    [-500, { min: -1000 }],
    [50, { min: 50, max: 50 }],
  ])('accepts %d with %o', (value, options) => {
    expect(() => assertPaise('input.price', value, options)).not.toThrow();
  });

  it.each<[number, { min?: number; max?: number } | undefined, string]>([
    [-1, undefined, 'between'],
    [100_000_000_01, undefined, 'between'],
    [1.5, undefined, 'whole number'],
    [Number.NaN, undefined, 'whole number'],
    [Number.POSITIVE_INFINITY, undefined, 'whole number'],
    [49, { min: 50 }, 'between'],
    [101, { max: 100 }, 'between'],
  ])('rejects %d with %o', (value, options, phrase) => {
    const error = caught(() => assertPaise('input.price', value, options));
    expect(isAppError(error)).toBe(true);
    if (!isAppError(error)) return;
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions.field).toBe('input.price');
    expect(error.message).toContain('input.price');
    expect(error.message).toContain(phrase);
  });

  it('states the range in rupees', () => {
    expect(() => assertPaise('amount', 5, { min: 100, max: 10_000 })).toThrow('amount: must be between ₹1.00 and ₹100.00');
  });
});
