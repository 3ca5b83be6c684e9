// SPEC §2 password rules: 12–128 characters of any script, spaces allowed, no composition rules; refused if
// it is a common password (a bundled list of ~49,000) or contains the user's phone digits or email name.
import { createRequire } from 'node:module';
import { badUserInput } from '../../shared/errors.js';

const require = createRequire(import.meta.url);
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  (require('@zxcvbn-ts/language-common/src/passwords.json') as string[]).map((entry) => entry.toLowerCase()),
);

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export function commonPasswordCount(): number {
  return COMMON_PASSWORDS.size;
}

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
  if (COMMON_PASSWORDS.has(lowered) || COMMON_PASSWORDS.has(lowered.trim())) {
    throw badUserInput(field, 'is too common: choose a longer, less guessable passphrase');
  }
  const phoneDigits = owner.phone?.replace(/\D/g, '').slice(-10);
  if (phoneDigits && phoneDigits.length === 10 && password.replace(/\D/g, '').includes(phoneDigits)) {
    throw badUserInput(field, 'must not contain your phone number');
  }
  const emailName = owner.email?.split('@')[0]?.toLowerCase();
  if (emailName && emailName.length >= 3 && lowered.includes(emailName)) {
    throw badUserInput(field, 'must not contain your email name');
  }
}
