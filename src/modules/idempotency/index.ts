// The idempotency module's public face: its descriptor, and for other modules the guard mutations take and the request helper their resolvers use.
export { idempotencyModule } from './idempotency.module.js';
export { IdempotencyGuard } from './idempotency.service.js';
export { IDEMPOTENCY_KEY_DESCRIPTION, idempotentRequest } from './idempotency.request.js';
