// SPEC §2/§9 step 7: legacy hashes are kept as they are and verified by the login code, which re-hashes
// them into bcrypt_sha256 on the first successful login. Anything else is not a hash we can verify.
import type { PasswordScheme } from '../generated/prisma/enums.js';

const BCRYPT = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

type ClassifiedHash = { kind: 'hash'; hash: string; scheme: PasswordScheme } | { kind: 'none' } | { kind: 'unrecognised' };

export function classifyPasswordHash(value: string | null): ClassifiedHash {
  if (value === null) return { kind: 'none' };
  if (BCRYPT.test(value)) return { kind: 'hash', hash: value, scheme: 'BCRYPT' };
  // Stored lower-cased: the login code compares hex digests as lower-case text.
  if (SHA256_HEX.test(value)) return { kind: 'hash', hash: value.toLowerCase(), scheme: 'SHA256' };
  return { kind: 'unrecognised' };
}
