// Phone and email normalisation (SPEC §1). These decide which account an identifier names, so they are
// deliberately narrow: only the Indian mobile forms the spec lists, only ASCII in addresses. Written here
// rather than with libphonenumber because the accepted forms are a short closed list that the importer,
// the lookup and the lockout counter must all agree on exactly.
import { badUserInput } from './errors.js';

type Normalised = { ok: true; value: string } | { ok: false; reason: string };

export type Identifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

const PHONE_REASON = 'must be an Indian mobile number';
const EMAIL_REASON = 'must be an email address';
const REQUIRED_REASON = 'is required';

// Whitespace (including non-breaking spaces), hyphens and dashes, dots and brackets.
const PHONE_SEPARATORS = /[\s\-\u2010-\u2015.()[\]]/g;
// `[0-9]` rather than `\d` to make plain that other scripts' digits never count.
const PHONE_FORMS = /^(?:\+91|91|0)?([6-9][0-9]{9})$/;

export function normalisePhone(input: string): Normalised {
  if (typeof input !== 'string') return { ok: false, reason: PHONE_REASON };
  if (input.length > 64) return { ok: false, reason: PHONE_REASON };
  const compact = input.replace(PHONE_SEPARATORS, '');
  if (compact.length === 0) return { ok: false, reason: REQUIRED_REASON };
  const match = PHONE_FORMS.exec(compact);
  if (!match) return { ok: false, reason: PHONE_REASON };
  return { ok: true, value: `+91${match[1]}` };
}

export function requirePhone(field: string, input: string): string {
  const result = normalisePhone(input);
  if (!result.ok) throw badUserInput(field, result.reason);
  return result.value;
}

const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
// Printable ASCII without space: checked before lower-casing, because toLowerCase maps some non-ASCII
// letters onto ASCII (KELVIN SIGN U+212A becomes "k"), which would let a look-alike claim an address.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function normaliseEmail(input: string): Normalised {
  if (typeof input !== 'string') return { ok: false, reason: EMAIL_REASON };
  const trimmed = input.trim();
  if (trimmed.length === 0) return { ok: false, reason: REQUIRED_REASON };
  if (trimmed.length > MAX_EMAIL_LENGTH || !PRINTABLE_ASCII.test(trimmed)) {
    return { ok: false, reason: EMAIL_REASON };
  }
  const value = trimmed.toLowerCase();
  const parts = value.split('@');
  if (parts.length !== 2) return { ok: false, reason: EMAIL_REASON };
  const [local, domain] = parts;
  if (local.length > MAX_LOCAL_LENGTH || !LOCAL_PART.test(local)) return { ok: false, reason: EMAIL_REASON };
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) {
    return { ok: false, reason: EMAIL_REASON };
  }
  // An all-digit last label would be an IP address, not a domain name.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return { ok: false, reason: EMAIL_REASON };
  return { ok: true, value };
}

export function requireEmail(field: string, input: string): string {
  const result = normaliseEmail(input);
  if (!result.ok) throw badUserInput(field, result.reason);
  return result.value;
}

/** An email if it contains `@`, else a phone; null when it normalises as neither. */
export function parseIdentifier(input: string): Identifier | null {
  if (typeof input !== 'string') return null;
  if (input.includes('@')) {
    const email = normaliseEmail(input);
    return email.ok ? { kind: 'email', value: email.value } : null;
  }
  const phone = normalisePhone(input);
  return phone.ok ? { kind: 'phone', value: phone.value } : null;
}
