// What the five keyed mutations share: the argument's description and how a request's key and scope are read.
import type { Context } from '../context.js';
import { resolveIdempotencyKey, type IdempotentRequest } from './idempotency.service.js';

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Optional: a key of your choosing (1 to 255 printable ASCII characters; a new UUID per ' +
  'intended action) that makes a retry safe: within 24 hours the same key with the same arguments answers the first result, ' +
  'read again now, and writes nothing; with other arguments it is a CONFLICT naming idempotencyKey. The Idempotency-Key ' +
  'HTTP header does the same; when both are given they must be equal (BAD_USER_INPUT).';

/** A keyed request of the signed-in caller (the key is the viewer's own), or of `scope` when given. */
export function idempotentRequest(context: Context, operation: string, args: unknown, argument: string | null | undefined, scope?: string): IdempotentRequest {
  const key = resolveIdempotencyKey(context.idempotencyKeyHeader, argument);
  return { scope: scope ?? `user:${context.viewer!.userId}`, key, operation, args };
}
