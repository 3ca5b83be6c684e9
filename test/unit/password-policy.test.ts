// The password rules of SPEC §2 as a pure function: zxcvbn's judgement on top of length, control characters,
// phone digits and email name.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../../src/modules/identity/password.policy.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-logins.js';

const require = createRequire(import.meta.url);
const COMMON_PASSWORDS = require('@zxcvbn-ts/language-common/src/passwords.json') as string[];

const refusal = (password: string, owner = {}) => {
  try {
    checkPasswordPolicy('newPassword', password, owner);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('checkPasswordPolicy', () => {
  it('refuses every bundled common password long enough to pass the length rule', () => {
    const long = COMMON_PASSWORDS.filter((entry) => [...entry].length >= PASSWORD_MIN_LENGTH);
    expect(long.length).toBe(308);
    expect(long.filter((entry) => refusal(entry) === null)).toEqual([]);
  });

  it('refuses repeats, keyboard walks and blank passwords, saying what to do instead', () => {
    for (const weak of ['aaaaaaaaaaaa', '111111111111', 'qwertyqwerty', ' '.repeat(12), 'abcdefghijkl', 'p@ssw0rd1234', 'Password1234!']) {
      expect(refusal(weak), weak).toBe('newPassword: is too easy to guess: choose a longer passphrase of three or four unrelated words');
    }
  });

  it('accepts the demo password and strong passphrases in any script', () => {
    for (const strong of [
      DEMO_PASSWORD,
      'correct horse battery staple 42',
      'सुबह का ताज़ा दूध 2026',
      'மாலை நேர பால் வண்டி',
      'दूधवालाआयाहै',
      'x'.repeat(10) + ' blue kettle sings at noon',
    ]) {
      expect(refusal(strong), strong).toBeNull();
    }
  });

  it('keeps the length, phone and email rules', () => {
    expect(refusal('short one')).toBe('newPassword: must be 12 to 128 characters long');
    expect(refusal('plenty of words here '.repeat(7))).toBe('newPassword: must be 12 to 128 characters long');
    expect(refusal('my number 98765 43210 ok', { phone: '+919876543210' })).toBe('newPassword: must not contain your phone number');
    expect(refusal('ravi kumar likes fresh curd', { email: 'ravi@example.in' })).toBe('newPassword: must not contain your email name');
  });
});
