// The application's services, created once at start-up and shared by every request.
import { createHash } from 'node:crypto';
import type { Config } from '../config/env.js';
import type { Database } from '../db/client.js';
import {
  AuthService,
  IdentityRepository,
  OtpService,
  SessionService,
  UserAdminService,
  type AccessTokens,
  type AttemptCounters,
  type PasswordHasher,
} from '../modules/identity/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from './logger.js';

export interface ServiceDependencies {
  config: Config;
  db: Database;
  clock: Clock;
  log: Logger;
  tokens: AccessTokens;
  counters: AttemptCounters;
  hasher: PasswordHasher;
  /** Key material for OTP HMACs, derived from the token secret so one secret serves both. */
  otpSecret: string;
}

export function createServices(deps: ServiceDependencies) {
  const users = new IdentityRepository(deps.db);
  const sessions = new SessionService(deps.db);
  const auth = new AuthService({ db: deps.db, clock: deps.clock, tokens: deps.tokens, counters: deps.counters, hasher: deps.hasher, sessions, users });
  return {
    sessions,
    auth,
    otp: new OtpService(deps.db, deps.clock, deps.otpSecret, auth, users),
    userAdmin: new UserAdminService(deps.db, deps.clock, users, deps.hasher, sessions, deps.counters),
  };
}

export type Services = ReturnType<typeof createServices>;

export function deriveOtpSecret(material: string): string {
  return createHash('sha256').update(`otp:${material}`).digest('hex');
}
