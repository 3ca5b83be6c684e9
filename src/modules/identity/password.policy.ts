// SPEC §2 password rules: 12–128 characters of any script, spaces allowed, no composition rules; refused if
// it contains the user's phone digits or email name, or if zxcvbn judges it guessable (below
// PASSWORD_MIN_SCORE). zxcvbn's dictionaries include the ~49,000 common passwords of
// `@zxcvbn-ts/language-common`, so every common password is refused, with its repeats, sequences, keyboard
// walks and l33t spellings ("aaaaaaaaaaaa", "qwertyqwerty", "p@ssw0rd1234").
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { badUserInput } from '../../shared/errors.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/**
 * zxcvbn's score 3: at least 10^8 guesses by its estimate. Against bcrypt at cost 12 (a few hundred
 * guesses a second per GPU) that is months of work for one account, and it still admits a short
 * passphrase of three common words, in any script.
 */
export const PASSWORD_MIN_SCORE = 3;

const estimator = new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...englishDictionary },
  graphs: adjacencyGraphs,
  translations,
  // 128 code points are at most 256 UTF-16 units: zxcvbn sees the whole password, never a prefix.
  maxLength: PASSWORD_MAX_LENGTH * 2,
  // The default (100 substitution combinations) costs ~1.5 s of CPU for one crafted 128-character
  // password; 3 finds the same l33t spellings of common passwords at ~50 ms (docs/authentication.md).
  l33tMaxSubstitutions: 3,
});

export interface PasswordOwner {
  email?: string | null;
  phone?: string | null;
}

/** Throws BAD_USER_INPUT naming `field` when the password breaks a rule. */
export function checkPasswordPolicy(field: string, password: string, owner: PasswordOwner = {}): void {
  // Length counts characters (code points), not UTF-16 units, so every script is treated alike.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw badUserInput(field, `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`);
  }
  if (/[\u0000-\u001f\u007f]/.test(password)) {
    throw badUserInput(field, 'must not contain control characters');
  }
  const lowered = password.toLowerCase();
  const phoneDigits = owner.phone?.replace(/\D/g, '').slice(-10);
  if (phoneDigits && phoneDigits.length === 10 && password.replace(/\D/g, '').includes(phoneDigits)) {
    throw badUserInput(field, 'must not contain your phone number');
  }
  const emailName = owner.email?.split('@')[0]?.toLowerCase();
  if (emailName && emailName.length >= 3 && lowered.includes(emailName)) {
    throw badUserInput(field, 'must not contain your email name');
  }
  // The email and phone also count as words an attacker would try first.
  const userInputs = [emailName, phoneDigits].filter((input): input is string => Boolean(input));
  if (estimator.check(password, userInputs).score < PASSWORD_MIN_SCORE) {
    throw badUserInput(field, 'is too easy to guess: choose a longer passphrase of three or four unrelated words');
  }
}
