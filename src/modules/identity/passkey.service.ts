// Passkeys (WebAuthn, through @simplewebauthn/server) as a second factor: registered by a signed-in user,
// asserted to complete a sign-in challenge or a step-up. Each ceremony's challenge is stored server-side
// and taken once; the relying party id and the origins come from WEBAUTHN_RP_ID / WEBAUTHN_ORIGINS
// (development and tests: localhost on any port). A passkey's signature counter only moves forward.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { requireRecentSecondFactor } from '../../auth/second-factor.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Config } from '../../config/env.js';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../shared/clock.js';
import { badUserInput, forbidden, unauthenticated } from '../../shared/errors.js';
import { requireDisplayText } from '../../shared/text.js';
import type { IdentityRepository } from './identity.repository.js';
import { recordSecondFactorAudit } from './second-factor.audit.js';
import type { SecondFactorRepository } from './second-factor.repository.js';
import type { SecondFactorService } from './second-factor.service.js';
import type { SessionService } from './session.service.js';

const CEREMONY_MS = 5 * 60 * 1000;
const MAX_RESPONSE_CHARACTERS = 20_000;
const LOCAL_ORIGIN = /^http:\/\/localhost(:\d{1,5})?$/;

export interface RelyingParty {
  id: string;
  name: string;
  /** Exact origins, or null: any http://localhost port (development and tests). */
  origins: readonly string[] | null;
}

/** The relying party the configuration describes; null when passkeys are off (production without WEBAUTHN_RP_ID). */
export function relyingPartyOf(config: Config): RelyingParty | null {
  if (config.WEBAUTHN_RP_ID) return { id: config.WEBAUTHN_RP_ID, name: config.WEBAUTHN_RP_NAME, origins: config.WEBAUTHN_ORIGINS ?? null };
  if (config.NODE_ENV === 'production') return null;
  return { id: 'localhost', name: config.WEBAUTHN_RP_NAME, origins: null };
}

export interface PasskeyDependencies {
  db: Database;
  clock: Clock;
  users: IdentityRepository;
  factors: SecondFactorRepository;
  sessions: SessionService;
  secondFactor: SecondFactorService;
  relyingParty: RelyingParty | null;
}

function parseResponse<T>(field: string, text: string): T {
  if (text.length > MAX_RESPONSE_CHARACTERS) throw badUserInput(field, `is longer than ${MAX_RESPONSE_CHARACTERS} characters`);
  try {
    const parsed = JSON.parse(text) as { id?: unknown; response?: unknown; type?: unknown };
    if (typeof parsed.id === 'string' && typeof parsed.response === 'object' && parsed.response !== null && parsed.type === 'public-key') return parsed as T;
  } catch {
    // answered below
  }
  throw badUserInput(field, "must be the JSON of the browser's WebAuthn response (startRegistration / startAuthentication)");
}

export class PasskeyService {
  constructor(private readonly deps: PasskeyDependencies) {}

  private party(): RelyingParty {
    if (!this.deps.relyingParty) throw forbidden('passkeys are not configured on this server (WEBAUTHN_RP_ID)');
    return this.deps.relyingParty;
  }

  /** The origin the browser reports, when it is one this server accepts; otherwise the configured list (which then fails). */
  private expectedOrigin(clientDataJSON: unknown): string | string[] {
    const party = this.party();
    if (party.origins) return [...party.origins];
    try {
      const { origin } = JSON.parse(Buffer.from(String(clientDataJSON), 'base64url').toString('utf8')) as { origin?: unknown };
      if (typeof origin === 'string' && LOCAL_ORIGIN.test(origin)) return origin;
    } catch {
      // not a client data object: the verification fails on the placeholder below
    }
    return 'http://localhost';
  }

  async beginRegistration(viewer: Viewer): Promise<string> {
    const party = this.party();
    const now = this.deps.clock.now();
    // A further factor needs the one already there: a stolen session must not plant its own passkey.
    if (await this.deps.secondFactor.hasFactor(viewer.userId)) requireRecentSecondFactor(viewer, now);
    const user = await this.deps.users.findUserById(viewer.userId);
    if (!user) throw unauthenticated('session has ended');
    const existing = await this.deps.factors.passkeysOf(user.id);
    const options = await generateRegistrationOptions({
      rpName: party.name,
      rpID: party.id,
      userName: user.email ?? user.phone ?? user.id,
      userDisplayName: user.name,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.deps.factors.saveCeremony(user.id, options.challenge, 'register', new Date(now.getTime() + CEREMONY_MS));
    return JSON.stringify(options);
  }

  async finishRegistration(viewer: Viewer, responseText: string, nameText: string) {
    const party = this.party();
    const now = this.deps.clock.now();
    const name = requireDisplayText('name', nameText, 60);
    const response = parseResponse<RegistrationResponseJSON>('response', responseText);
    const hadFactor = await this.deps.secondFactor.hasFactor(viewer.userId);
    if (hadFactor) requireRecentSecondFactor(viewer, now);
    const expected = await this.deps.factors.takeCeremony(viewer.userId, 'register', now);
    if (!expected) throw badUserInput('response', 'no passkey registration in progress (or it took over 5 minutes): call beginPasskeyRegistration again');
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: expected,
        expectedOrigin: this.expectedOrigin(response.response?.clientDataJSON),
        expectedRPID: party.id,
        requireUserVerification: false,
      });
    } catch {
      throw badUserInput('response', 'the passkey could not be verified for this server');
    }
    if (!verification.verified) throw badUserInput('response', 'the passkey could not be verified for this server');
    const credential = verification.registrationInfo.credential;
    if (await this.deps.factors.findPasskey(credential.id)) throw badUserInput('response', 'this passkey is already registered');
    const passkeysBefore = (await this.deps.factors.passkeysOf(viewer.userId)).length;
    const totp = Boolean((await this.deps.factors.findFactor(viewer.userId))?.totpConfirmedAt);
    return this.deps.db.$transaction(async (tx) => {
      const created = await this.deps.factors.createPasskey(tx, {
        userId: viewer.userId,
        credentialId: credential.id,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports ?? [],
        name,
        createdAt: now,
      });
      // A first factor registered proves it at once, as a confirmed TOTP does: the session is no longer enrol-only.
      if (!hadFactor) await this.deps.sessions.markSecondFactor(viewer.sessionId, now, tx);
      await recordSecondFactorAudit(tx, {
        actorId: viewer.userId,
        targetUserId: viewer.userId,
        action: 'second-factor.passkey-registered',
        before: { authenticatorApp: totp, passkeys: passkeysBefore },
        after: { authenticatorApp: totp, passkeys: passkeysBefore + 1, passkeyName: name },
        at: now,
      });
      return { id: created.id, name: created.name, createdAt: created.createdAt, lastUsedAt: created.lastUsedAt };
    });
  }

  /** Options for the passkey step of a sign-in challenge. */
  async beginSignIn(challengeToken: string): Promise<string> {
    const party = this.party();
    const { row, user } = await this.deps.secondFactor.openChallenge(challengeToken);
    const options = await this.assertionOptions(party, user.id);
    await this.deps.factors.setChallengePasskeyChallenge(row.id, options.challenge);
    return JSON.stringify(options);
  }

  async beginReauthentication(viewer: Viewer): Promise<string> {
    const party = this.party();
    const options = await this.assertionOptions(party, viewer.userId);
    await this.deps.factors.saveCeremony(viewer.userId, options.challenge, 'reauthenticate', new Date(this.deps.clock.now().getTime() + CEREMONY_MS));
    return JSON.stringify(options);
  }

  private async assertionOptions(party: RelyingParty, userId: string) {
    const passkeys = await this.deps.factors.passkeysOf(userId);
    if (passkeys.length === 0) throw badUserInput('challenge', 'this account has no passkey: use its authenticator app or a recovery code');
    return generateAuthenticationOptions({
      rpID: party.id,
      allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
      userVerification: 'preferred',
    });
  }

  /** The proof for the second-factor service: whether the response is a fresh assertion of one of the user's passkeys. */
  assertion(responseText: string): (userId: string, expectedChallenge: string | null) => Promise<boolean> {
    const response = parseResponse<AuthenticationResponseJSON>('passkeyResponse', responseText);
    return async (userId, expectedChallenge) => {
      const party = this.party();
      if (!expectedChallenge) return false;
      const passkey = await this.deps.factors.findPasskey(response.id);
      if (!passkey || passkey.userId !== userId) return false;
      try {
        const verification = await verifyAuthenticationResponse({
          response,
          expectedChallenge,
          expectedOrigin: this.expectedOrigin(response.response?.clientDataJSON),
          expectedRPID: party.id,
          credential: {
            id: passkey.credentialId,
            publicKey: new Uint8Array(passkey.publicKey),
            counter: Number(passkey.counter),
            transports: passkey.transports,
          },
          requireUserVerification: false,
        });
        if (!verification.verified) return false;
        return this.deps.factors.usePasskey(passkey.id, verification.authenticationInfo.newCounter, this.deps.clock.now());
      } catch {
        return false;
      }
    };
  }
}
