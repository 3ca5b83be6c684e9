export { idempotencyModule, type IdempotencyDependencies } from './idempotency.module.js';
export { IdempotencyRepository } from './idempotency.repository.js';
export {
  canonicalArguments,
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_KEY_LIFETIME_MS,
  IdempotencyGuard,
  IdempotencyService,
  resolveIdempotencyKey,
  type IdempotentRequest,
  type IdempotentWork,
} from './idempotency.service.js';
export { IDEMPOTENCY_KEY_DESCRIPTION, idempotentRequest } from './idempotency.request.js';
