// The identity module: accounts, sessions, passwords, OTP and second factors.
import { defineModule, type Platform, type ServicesOf, type LoadersOf } from '../module.js';
import type { AccessTokens } from './access-token.js';
import type { AttemptCounters } from './attempt-counters.js';
import { AuthService } from './auth.service.js';
import { createIdentityLoaders } from './identity.loaders.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityResolver } from './identity.resolver.js';
import { OtpPumpingGuard, type OtpGuardName } from './otp.guard.js';
import { OtpService } from './otp.service.js';
import { PasskeyService, relyingPartyOf } from './passkey.service.js';
import type { PasswordHasher } from './password.hasher.js';
import { SecondFactorKeys } from './second-factor.crypto.js';
import { SecondFactorRepository } from './second-factor.repository.js';
import { SecondFactorResolver } from './second-factor.resolver.js';
import { SecondFactorService } from './second-factor.service.js';
import { SessionResolver, UserSessionsResolver } from './session.resolver.js';
import { SessionService, type SessionRead } from './session.service.js';
import { UserAdminService } from './user-admin.service.js';
import { identityOwnership, UserFieldResolver } from './user.resolver.js';

export interface IdentityDependencies {
  tokens: AccessTokens;
  counters: AttemptCounters;
  hasher: PasswordHasher;
  /** Key material for OTP HMACs, derived from the token secret so one secret serves both. */
  otpSecret: string;
  /** Counts the OTP requests the pumping guard refuses (the metrics). */
  onOtpGuardRefusal?: (guard: OtpGuardName) => void;
}

function createIdentityServices(deps: Platform & IdentityDependencies) {
  const { config, db, clock, log, tokens, counters, hasher } = deps;
  const users = new IdentityRepository(db);
  const sessions = new SessionService(db, counters, config.MFA_REQUIRED_ROLES);
  const factors = new SecondFactorRepository(db);
  const secondFactor = new SecondFactorService({
    db,
    clock,
    tokens,
    counters,
    users,
    factors,
    sessions,
    // Its keys come from the same secret material as the OTP key, under labels of their own (HKDF).
    keys: new SecondFactorKeys(deps.otpSecret),
    requiredRoles: config.MFA_REQUIRED_ROLES,
    issuer: config.WEBAUTHN_RP_NAME,
  });
  const auth = new AuthService({ db, clock, tokens, counters, hasher, sessions, users, secondFactor, log });
  const pumpingGuard = new OtpPumpingGuard(
    counters,
    { prefixLimit: config.OTP_PREFIX_LIMIT, prefixWindowSeconds: config.OTP_PREFIX_WINDOW_SECONDS, dailyLimit: config.OTP_DAILY_LIMIT },
    log,
    deps.onOtpGuardRefusal,
  );
  return {
    sessions,
    auth,
    otp: new OtpService(db, clock, deps.otpSecret, auth, users, pumpingGuard),
    secondFactor,
    passkeys: new PasskeyService({ db, clock, users, factors, sessions, secondFactor, relyingParty: relyingPartyOf(config) }),
    userAdmin: new UserAdminService(db, clock, users, hasher, sessions, counters),
  };
}

export const identityModule = defineModule({
  name: 'identity',
  tables: [
    'User',
    'Session',
    'RefreshToken',
    'OtpChallenge',
    'PasswordResetToken',
    'LoginCounter',
    'SecondFactor',
    'RecoveryCode',
    'SecondFactorChallenge',
    'Passkey',
  ],
  resolvers: [IdentityResolver, SecondFactorResolver, UserFieldResolver, SessionResolver, UserSessionsResolver],
  ownership: identityOwnership,
  services: createIdentityServices,
  loaders: ({ db, clock, counters }: { counters: AttemptCounters } & Pick<Platform, 'db' | 'clock'>) => createIdentityLoaders(db, counters, clock),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof identityModule> {}
  interface Loaders extends LoadersOf<typeof identityModule> {}
  interface Context {
    /**
     * The viewer's user row, facets and lock as the session check read them. Queries prime the loaders
     * with them (server/app.ts); mutations do not, so that what a mutation changes is read back fresh.
     */
    readonly session?: SessionRead | null;
  }
}
