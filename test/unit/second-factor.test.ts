// The second factor's pure parts: its settings (MFA_REQUIRED_ROLES, the passkey relying party), the
// encryption of TOTP secrets at rest, recovery codes, and the challenge token's own type and audience.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { AccessTokens } from '../../src/modules/identity/access-token.js';
import { relyingPartyOf } from '../../src/modules/identity/passkey.service.js';
import { isRecoveryCodeShaped, newRecoveryCode, SecondFactorKeys } from '../../src/modules/identity/second-factor.crypto.js';

const base = { NODE_ENV: 'test' };
const USER = '0191d2a4-7f10-7000-8000-000000000001';
const OTHER = '0191d2a4-7f10-7000-8000-000000000002';

describe('MFA_REQUIRED_ROLES', () => {
  it('is ADMIN unless set, none for no role, and a list of role names otherwise', () => {
    expect(parseConfig(base).MFA_REQUIRED_ROLES).toEqual(['ADMIN']);
    expect(parseConfig({ ...base, MFA_REQUIRED_ROLES: '' }).MFA_REQUIRED_ROLES).toEqual(['ADMIN']);
    expect(parseConfig({ ...base, MFA_REQUIRED_ROLES: 'none' }).MFA_REQUIRED_ROLES).toEqual([]);
    expect(parseConfig({ ...base, MFA_REQUIRED_ROLES: 'ADMIN, MARKETING_STAFF,ADMIN' }).MFA_REQUIRED_ROLES).toEqual(['ADMIN', 'MARKETING_STAFF']);
  });

  it('names a value that is not a role', () => {
    expect(() => parseConfig({ ...base, MFA_REQUIRED_ROLES: 'ADMIN,admins' })).toThrow(/MFA_REQUIRED_ROLES: "admins" is not a role/);
  });
});

describe('the passkey relying party', () => {
  it('is localhost on any port outside production, and off in production until configured', () => {
    expect(relyingPartyOf(parseConfig(base))).toEqual({ id: 'localhost', name: 'Dairy admin', origins: null });
    const production = { NODE_ENV: 'production', JWT_SECRET: 'Zq3v8XbN1rT6yLm0Wp4sKd7Hf2Jc9Ga5' };
    expect(relyingPartyOf(parseConfig(production))).toBeNull();
    const configured = parseConfig({ ...production, WEBAUTHN_RP_ID: 'example.in', WEBAUTHN_ORIGINS: 'https://admin.example.in' });
    expect(relyingPartyOf(configured)).toEqual({ id: 'example.in', name: 'Dairy admin', origins: ['https://admin.example.in'] });
  });

  it('refuses an id that is no domain, an origin that is no https origin or not under the id, and origins without an id', () => {
    expect(() => parseConfig({ ...base, WEBAUTHN_RP_ID: 'https://example.in' })).toThrow(/WEBAUTHN_RP_ID: must be a domain name/);
    expect(() => parseConfig({ ...base, WEBAUTHN_RP_ID: 'example.in', WEBAUTHN_ORIGINS: 'http://admin.example.in' })).toThrow(
      /WEBAUTHN_ORIGINS: "http:\/\/admin.example.in" is not an origin/,
    );
    expect(() => parseConfig({ ...base, WEBAUTHN_RP_ID: 'example.in', WEBAUTHN_ORIGINS: 'https://admin.example.in/' })).toThrow(/is not an origin/);
    expect(() => parseConfig({ ...base, WEBAUTHN_RP_ID: 'example.in', WEBAUTHN_ORIGINS: 'https://example.com' })).toThrow(
      /WEBAUTHN_ORIGINS: https:\/\/example.com is not on example.in/,
    );
    expect(() => parseConfig({ ...base, WEBAUTHN_ORIGINS: 'https://admin.example.in' })).toThrow(/WEBAUTHN_RP_ID: is required when WEBAUTHN_ORIGINS is set/);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'Zq3v8XbN1rT6yLm0Wp4sKd7Hf2Jc9Ga5' };
    expect(() => parseConfig({ ...production, WEBAUTHN_RP_ID: 'example.in' })).toThrow(/WEBAUTHN_ORIGINS: is required in production/);
  });
});

describe('TOTP secrets at rest', () => {
  const keys = new SecondFactorKeys('secret material of the server');

  it('are encrypted afresh each time and decrypt only for their user and key', () => {
    const first = keys.encrypt('JBSWY3DPEHPK3PXP', USER);
    const second = keys.encrypt('JBSWY3DPEHPK3PXP', USER);
    expect(first).not.toBe(second);
    expect(first).not.toContain('JBSWY3DPEHPK3PXP');
    expect(keys.decrypt(first, USER)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => keys.decrypt(first, OTHER)).toThrow();
    expect(() => new SecondFactorKeys('another secret').decrypt(first, USER)).toThrow();
    const [format, iv, ciphertext, tag] = first.split(':');
    const flipped = `${ciphertext[0] === 'A' ? 'B' : 'A'}${ciphertext.slice(1)}`;
    expect(() => keys.decrypt([format, iv, flipped, tag].join(':'), USER)).toThrow();
  });
});

describe('recovery codes', () => {
  it('are ten characters of an unambiguous alphabet, hashed alike however they are typed', () => {
    const keys = new SecondFactorKeys('secret material of the server');
    const code = newRecoveryCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(isRecoveryCodeShaped(code.toLowerCase().replace('-', ''))).toBe(true);
    expect(isRecoveryCodeShaped('12345')).toBe(false);
    expect(keys.hashRecoveryCode(code)).toBe(keys.hashRecoveryCode(` ${code.toLowerCase().replace('-', '')} `));
    expect(keys.hashRecoveryCode(code)).not.toBe(new SecondFactorKeys('another secret').hashRecoveryCode(code));
  });
});

describe('the second-factor challenge token', () => {
  const tokens = AccessTokens.withSecret('unit-test-secret-that-is-at-least-32-bytes', 'dairy-bff', 'dairy-apps');
  const now = new Date('2026-06-15T06:30:00Z');

  it('verifies only as a challenge, and an access token never does', async () => {
    const challenge = await tokens.signChallenge({ userId: USER, challengeId: OTHER }, now);
    expect(await tokens.verifyChallenge(challenge.token, now)).toEqual({ userId: USER, challengeId: OTHER });
    expect(challenge.expiresAt.getTime() - now.getTime()).toBe(5 * 60 * 1000);
    await expect(tokens.verify(challenge.token, now)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const access = await tokens.sign({ userId: USER, sessionId: OTHER }, now);
    await expect(tokens.verifyChallenge(access.token, now)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(tokens.verifyChallenge(challenge.token, new Date(now.getTime() + 5 * 60 * 1000))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
