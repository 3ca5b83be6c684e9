export { idempotencyModule } from './idempotency.module.js';
export { IdempotencyRepository } from './idempotency.repository.js';
export {
  IdempotencyGuard,
  IdempotencyService,
  resolveIdempotencyKey,
  type IdempotentRequest,
} from './idempotency.service.js';
export { IDEMPOTENCY_KEY_DESCRIPTION, idempotentRequest } from './idempotency.request.js';
