import { describe, expect, it } from 'vitest';
import { ErrorCode, isAppError } from '../../src/shared/errors.js';
import { normaliseEmail, normalisePhone, parseIdentifier, requireEmail, requirePhone } from '../../src/shared/identifiers.js';
import { caught } from '../support/caught.js';

describe('normalisePhone', () => {
  it.each([
    ['9876543210', '+919876543210'],
    ['6000000000', '+916000000000'],
    ['7123456789', '+917123456789'],
    ['8123456789', '+918123456789'],
    ['09876543210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['+919876543210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['+91-98765-43210', '+919876543210'],
    ['098765.43210', '+919876543210'],
    ['(+91) 98765 43210', '+919876543210'],
    ['+91 (987) 654-3210', '+919876543210'],
    ['[0]9876543210', '+919876543210'],
    ['  9876543210  ', '+919876543210'],
    ['\t9876543210\n', '+919876543210'],
    ['98765\u00a043210', '+919876543210'],
    ['\u00a0+91\u202f98765\u00a043210\u00a0', '+919876543210'],
    ['98765\u201343210', '+919876543210'],
    // Ten digits that happen to start with 91 are a number of their own, not a prefix.
    ['9198765432', '+919198765432'],
  ])('%j → %s', (input, expected) => {
    expect(normalisePhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'is required'],
    ['   ', 'is required'],
    ['()-.', 'is required'],
    ['5876543210', 'starts with 5'],
    ['0123456789', 'trunk prefix followed by nine digits'],
    ['1234567890', 'starts with 1'],
    ['987654321', 'nine digits'],
    ['98765432101', 'eleven digits'],
    ['+9198765432', 'country code with eight digits'],
    ['+9109876543210', 'country code and trunk prefix'],
    ['0091 9876543210', 'international dialling prefix'],
    ['+14155552671', 'another country'],
    ['+449876543210', 'another country code, same length'],
    ['+92 9876543210', 'Pakistan'],
    ['9876543210+', 'plus at the end'],
    ['91+9876543210', 'plus in the middle'],
    ['++919876543210', 'two pluses'],
    ['98765O3210', 'letter O for zero'],
    ['phone: 9876543210', 'words'],
    ['9876543210 ext 5', 'extension'],
    ['9876543210/9876543211', 'two numbers'],
    ['٩٨٧٦٥٤٣٢١٠', 'Arabic-Indic digits'],
    ['९८७६५४३२१०', 'Devanagari digits'],
    ['９８７６５４３２１０', 'fullwidth digits'],
    ['98765\u200b43210', 'zero-width space'],
    ['9'.repeat(100), 'very long'],
  ])('rejects %j (%s)', (input) => {
    const result = normalisePhone(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(['is required', 'must be an Indian mobile number']).toContain(result.reason);
  });

  it('names what it expects', () => {
    expect(normalisePhone('12345')).toEqual({ ok: false, reason: 'must be an Indian mobile number' });
    expect(normalisePhone('')).toEqual({ ok: false, reason: 'is required' });
  });

  it('rejects values that are not strings at run time', () => {
    expect(normalisePhone(9876543210 as unknown as string).ok).toBe(false);
    expect(normalisePhone(null as unknown as string).ok).toBe(false);
  });
});

describe('requirePhone', () => {
  it('returns the E.164 form', () => {
    expect(requirePhone('input.phone', '098765 43210')).toBe('+919876543210');
  });

  it.each(['12345', '', '+14155552671'])('throws BAD_USER_INPUT naming the field for %j', (input) => {
    const error = caught(() => requirePhone('input.phone', input));
    expect(isAppError(error)).toBe(true);
    if (!isAppError(error)) return;
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions.field).toBe('input.phone');
    expect(error.message).toMatch(/^input\.phone: /);
  });
});

describe('normaliseEmail', () => {
  it.each([
    ['asha@example.com', 'asha@example.com'],
    ['Asha.Rao@Example.COM', 'asha.rao@example.com'],
    ['  asha@example.com\t', 'asha@example.com'],
    ['\u00a0asha@example.com\u00a0', 'asha@example.com'],
    ['asha+milk@mail.example.co.in', 'asha+milk@mail.example.co.in'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['a_b-c@my-domain.in', 'a_b-c@my-domain.in'],
    ['1@2.io', '1@2.io'],
    ['x@xn--p1ai.xn--p1ai', 'x@xn--p1ai.xn--p1ai'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
    [`a@${'b'.repeat(63)}.com`, `a@${'b'.repeat(63)}.com`],
  ])('%j → %s', (input, expected) => {
    expect(normaliseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it('accepts exactly 254 characters and no more', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.com`; // 195 characters
    const local = 'l'.repeat(254 - 1 - domain.length);
    expect(normaliseEmail(`${local}@${domain}`).ok).toBe(true);
    expect(normaliseEmail(`${local}x@${domain}`).ok).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['asha', 'no @'],
    ['asha@', 'no domain'],
    ['@example.com', 'no local part'],
    ['asha@@example.com', 'two @'],
    ['a@b@example.com', 'two @ apart'],
    ['asha@localhost', 'domain without a dot'],
    ['asha@example.', 'empty last label'],
    ['asha@.example.com', 'empty first label'],
    ['asha@example..com', 'empty middle label'],
    ['asha@-example.com', 'label starting with a hyphen'],
    ['asha@example-.com', 'label ending with a hyphen'],
    ['asha@exa_mple.com', 'underscore in the domain'],
    ['asha@192.168.0.1', 'an IP address'],
    ['asha@[192.168.0.1]', 'an address literal'],
    [`a@${'b'.repeat(64)}.com`, 'label longer than 63'],
    [`${'a'.repeat(65)}@example.com`, 'local part longer than 64'],
    ['as ha@example.com', 'space inside'],
    ['asha@exa mple.com', 'space in the domain'],
    ['asha\t@example.com', 'tab inside'],
    ['asha\u0000@example.com', 'NUL'],
    ['asha\u007f@example.com', 'DEL'],
    ['asha\r\nBcc: x@example.com', 'header injection'],
    ['.asha@example.com', 'leading dot'],
    ['asha.@example.com', 'trailing dot'],
    ['as..ha@example.com', 'two dots'],
    ['"asha"@example.com', 'quoted local part'],
    ['asha(comment)@example.com', 'comment'],
    ['Asha <asha@example.com>', 'display name'],
    ['asha@exаmple.com', 'Cyrillic а in the domain'],
    ['аsha@example.com', 'Cyrillic а in the local part'],
    ['\u212aelly@example.com', 'Kelvin sign that lower-cases to k'],
    ['asha@exámple.com', 'accented letter'],
    ['asha@example.com\u200b', 'zero-width space'],
    ['asha＠example.com', 'fullwidth @'],
    ['asha@例え.jp', 'unicode domain'],
  ])('rejects %j (%s)', (input) => {
    const result = normaliseEmail(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(['is required', 'must be an email address']).toContain(result.reason);
  });

  it('rejects values that are not strings at run time', () => {
    expect(normaliseEmail(undefined as unknown as string).ok).toBe(false);
  });
});

describe('requireEmail', () => {
  it('returns the lower-cased address', () => {
    expect(requireEmail('input.email', ' Asha@Example.com ')).toBe('asha@example.com');
  });

  it.each(['asha', '', '\u212aelly@example.com'])('throws BAD_USER_INPUT naming the field for %j', (input) => {
    const error = caught(() => requireEmail('input.email', input));
    expect(isAppError(error)).toBe(true);
    if (!isAppError(error)) return;
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions.field).toBe('input.email');
  });
});

describe('parseIdentifier', () => {
  it.each([
    ['Asha@Example.com', { kind: 'email', value: 'asha@example.com' }],
    [' asha@example.com ', { kind: 'email', value: 'asha@example.com' }],
    ['9876543210', { kind: 'phone', value: '+919876543210' }],
    ['+91 98765-43210', { kind: 'phone', value: '+919876543210' }],
    ['098765 43210', { kind: 'phone', value: '+919876543210' }],
  ])('%j → %o', (input, expected) => {
    expect(parseIdentifier(input)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['asha', 'neither'],
    ['9876543210@', 'an @ makes it an email, and this one is not'],
    ['asha@localhost', 'bad email'],
    ['12345', 'bad phone'],
    ['٩٨٧٦٥٤٣٢١٠', 'Arabic-Indic digits'],
  ])('%j → null (%s)', (input) => {
    expect(parseIdentifier(input)).toBeNull();
  });
});
