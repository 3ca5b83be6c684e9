// The second factor's secrets at rest and its codes. TOTP secrets must be readable by the server (it
// computes the expected code), so they are encrypted, not hashed: AES-256-GCM under a key derived (HKDF)
// from the token secret, with the user's id as associated data so a ciphertext copied onto another user's
// row does not decrypt. Recovery codes are random (50 bits each), so an HMAC is as good as a slow hash.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const FORMAT = 'v1';
/** Crockford's base32 without I, L, O and U: nothing to misread when typed from paper. */
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_COUNT = 10;

export class SecondFactorKeys {
  private readonly encryptionKey: Buffer;
  private readonly hmacKey: Buffer;

  constructor(secretMaterial: string) {
    const material = Buffer.from(secretMaterial, 'utf8');
    this.encryptionKey = Buffer.from(hkdfSync('sha256', material, 'second-factor', 'totp-secret-encryption', 32));
    this.hmacKey = Buffer.from(hkdfSync('sha256', material, 'second-factor', 'recovery-code-hmac', 32));
  }

  encrypt(plaintext: string, userId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
  }

  /** Throws when the value was not written by this key for this user. */
  decrypt(stored: string, userId: string): string {
    const [format, iv, ciphertext, tag] = stored.split(':');
    if (format !== FORMAT || !iv || !ciphertext || !tag) throw new Error('unknown second-factor secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The stored form of a recovery code: typed with or without its dash, in any case. */
  hashRecoveryCode(code: string): string {
    return createHmac('sha256', this.hmacKey).update(normaliseRecoveryCode(code)).digest('hex');
  }

  isSameHash(left: string, right: string): boolean {
    const a = Buffer.from(left, 'hex');
    const b = Buffer.from(right, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

export function normaliseRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/** `XXXXX-XXXXX`: ten characters of a 32-letter alphabet. */
export function newRecoveryCode(): string {
  let code = '';
  for (let index = 0; index < 10; index += 1) code += RECOVERY_ALPHABET[randomInt(0, RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function isRecoveryCodeShaped(code: string): boolean {
  return /^[0-9A-Z]{10}$/.test(normaliseRecoveryCode(code));
}
