// The identity module's public face: its descriptor, and for other modules tokens, counters, hashing, the user repository and the User type.
export { identityModule } from './identity.module.js';
export { AccessTokens, developmentSecret } from './access-token.js';
export { PostgresAttemptCounters, RedisAttemptCounters, type AttemptCounters } from './attempt-counters.js';
export { IdentityRepository } from './identity.repository.js';
export { BcryptPool, PasswordHasher } from './password.hasher.js';
export { fixedWindow, type OtpGuardName } from './otp.guard.js';
export type { SessionRead } from './session.service.js';
export { User } from './user.type.js';
