// Access tokens exactly as SPEC §2: a JWT signed with jose, header `typ: at+jwt`, claims iss/aud/sub/sid/
// iat/exp/jti, 15 minutes. Verification pins the algorithm, typ, issuer and audience, so a token of another
// kind, another key or `alg: none` never passes. Keys are imported once at start-up.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey, type KeyObject } from 'jose';
import type { Config } from '../../config/env.js';
import { unauthenticated } from '../../shared/errors.js';

export const ACCESS_TOKEN_LIFETIME_SECONDS = 15 * 60;
const TOKEN_TYPE = 'at+jwt';
/** The step between a correct password and a session: its own type and audience, accepted nowhere else. */
export const CHALLENGE_LIFETIME_SECONDS = 5 * 60;
const CHALLENGE_TOKEN_TYPE = 'second-factor-challenge+jwt';
const CHALLENGE_AUDIENCE_SUFFIX = ':second-factor';
/** Verified tokens remembered at most (a few MB); past it the memory starts again empty. */
const MAX_REMEMBERED_TOKENS = 20_000;
/** `sub` and `sid` name rows by uuid: anything else, even correctly signed, is no token of ours. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Key = CryptoKey | KeyObject | Uint8Array;

export interface ChallengeClaims {
  userId: string;
  challengeId: string;
}

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
}

export class AccessTokens {
  private constructor(
    private readonly algorithm: 'HS256' | 'EdDSA',
    private readonly signingKey: Key,
    private readonly verificationKey: Key,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  /** Secrets come from configuration; development keeps a generated one in DATA_DIR across restarts. */
  static async fromConfig(config: Config, developmentSecretValue?: string): Promise<AccessTokens> {
    if (config.JWT_PRIVATE_KEY && config.JWT_PUBLIC_KEY) {
      const privateKey = await importPKCS8(config.JWT_PRIVATE_KEY.replace(/\\n/g, '\n'), 'EdDSA');
      const publicKey = await importSPKI(config.JWT_PUBLIC_KEY.replace(/\\n/g, '\n'), 'EdDSA');
      return new AccessTokens('EdDSA', privateKey, publicKey, config.JWT_ISSUER, config.JWT_AUDIENCE);
    }
    const material = config.JWT_SECRET ?? developmentSecretValue ?? (await developmentSecret(config.DATA_DIR));
    const secret = new TextEncoder().encode(material);
    return new AccessTokens('HS256', secret, secret, config.JWT_ISSUER, config.JWT_AUDIENCE);
  }

  static withSecret(secret: string, issuer: string, audience: string): AccessTokens {
    const key = new TextEncoder().encode(secret);
    return new AccessTokens('HS256', key, key, issuer, audience);
  }

  async sign(claims: AccessTokenClaims, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + ACCESS_TOKEN_LIFETIME_SECONDS;
    const token = await new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: this.algorithm, typ: TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(claims.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.signingKey);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** A second-factor challenge: `jti` names its SecondFactorChallenge row. */
  async signChallenge(claims: ChallengeClaims, now: Date): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + CHALLENGE_LIFETIME_SECONDS;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: this.algorithm, typ: CHALLENGE_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(`${this.audience}${CHALLENGE_AUDIENCE_SUFFIX}`)
      .setSubject(claims.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(claims.challengeId)
      .sign(this.signingKey);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** Throws UNAUTHENTICATED for anything but a valid, unexpired challenge of this service. */
  async verifyChallenge(token: string, now: Date): Promise<ChallengeClaims> {
    try {
      const { payload } = await jwtVerify(token, this.verificationKey, {
        algorithms: [this.algorithm],
        issuer: this.issuer,
        audience: `${this.audience}${CHALLENGE_AUDIENCE_SUFFIX}`,
        typ: CHALLENGE_TOKEN_TYPE,
        currentDate: now,
        requiredClaims: ['sub', 'iat', 'exp', 'jti'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || !UUID.test(payload.sub) || !UUID.test(payload.jti)) throw new Error('claims');
      return { userId: payload.sub, challengeId: payload.jti };
    } catch {
      throw unauthenticated('invalid or expired second-factor challenge: sign in again');
    }
  }

  // A client sends the same token with every request for its 15 minutes: a signature once verified is
  // remembered (the claims and `exp`), so that a later request only repeats the expiry check, exactly as
  // jose makes it (expired once `exp` <= now in whole seconds). Verifying cost ~4 % of a `Me` request.
  private readonly verified = new Map<string, { claims: AccessTokenClaims; exp: number }>();

  /** Throws UNAUTHENTICATED for anything but a valid, unexpired access token of this service. */
  async verify(token: string, now: Date): Promise<AccessTokenClaims> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > nowSeconds) return known.claims;
      this.verified.delete(token);
      throw unauthenticated('invalid or expired access token');
    }
    const claims = await this.verifySignature(token, now);
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.clear();
    this.verified.set(token, claims);
    return claims.claims;
  }

  private async verifySignature(token: string, now: Date): Promise<{ claims: AccessTokenClaims; exp: number }> {
    try {
      const { payload } = await jwtVerify(token, this.verificationKey, {
        algorithms: [this.algorithm],
        issuer: this.issuer,
        audience: this.audience,
        typ: TOKEN_TYPE,
        currentDate: now,
        requiredClaims: ['sub', 'sid', 'iat', 'exp', 'jti'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') throw new Error('claims');
      if (!UUID.test(payload.sub) || !UUID.test(payload.sid)) throw new Error('claims');
      return { claims: { userId: payload.sub, sessionId: payload.sid }, exp: payload.exp };
    } catch {
      throw unauthenticated('invalid or expired access token');
    }
  }
}

export async function developmentSecret(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, 'jwt-secret');
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing && existing.trim().length >= 43) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}
