// The one error formatter (SPEC §8): AppErrors keep their code; request errors (parse, validation,
// variables) become BAD_USER_INPUT; Apollo's refusals of the HTTP request itself (no query, a mutation
// over GET) keep BAD_REQUEST; everything else is masked as INTERNAL_SERVER_ERROR with an error id that is
// logged with the real error, except that an unreachable database or Redis is SERVICE_UNAVAILABLE (HTTP 503,
// retryable) and logged once every few seconds through the outage log. Production answers carry no stack, SQL or "Did you mean".
import { randomUUID } from 'node:crypto';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { databaseUnavailableReason, namedStatementsHint } from '../db/errors.js';
import { ErrorCode, isAppError, ServiceUnavailableError } from '../shared/errors.js';
import { concealLimits } from './limits.js';
import type { Logger } from './logger.js';
import { OutageLog } from './outage-log.js';
import { systemClock } from '../shared/clock.js';
import { currentRequestScope } from './request-scope.js';

/** Apollo's own codes for a request it could not run: answered as BAD_USER_INPUT. */
const REQUEST_ERROR_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
]);

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** The outage answer for an unreachable dependency, or null for any other error. */
export function asServiceUnavailable(error: unknown, outages: OutageLog): ServiceUnavailableError | null {
  if (error instanceof ServiceUnavailableError) {
    outages.record(error.dependency, error.reason);
    return error;
  }
  const reason = databaseUnavailableReason(error);
  if (reason === null) return null;
  outages.record('database', reason);
  return new ServiceUnavailableError('database', reason);
}

export function createErrorFormatter(log: Logger, options: { production: boolean; outages?: OutageLog }) {
  const outages = options.outages ?? new OutageLog(log, systemClock);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    const original = asServiceUnavailable(unwrapped, outages) ?? unwrapped;
    if (isAppError(original)) {
      const { code, ...rest } = original.extensions as Record<string, unknown>;
      return { ...base, message: original.message, extensions: { ...rest, code } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && (REQUEST_ERROR_CODES.has(code) || (KNOWN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR))) {
      const concealed = concealLimits(formatted.message);
      const message = options.production ? concealed.replace(/ ?Did you mean [^?]*\?/g, '') : concealed;
      // A limit error's location would show where the limit was crossed, i.e. the limit itself.
      const where = concealed === formatted.message ? base : { path: formatted.path };
      return { ...where, message, extensions: { code: REQUEST_ERROR_CODES.has(code) ? ErrorCode.BAD_USER_INPUT : code } };
    }
    const errorId = randomUUID();
    // The request id ties the error to the request's own log line; Apollo gives the formatter no context.
    const hint = namedStatementsHint(original) ?? undefined;
    log.error(
      {
        errorId,
        requestId: currentRequestScope()?.requestId,
        err: original instanceof Error ? original : new Error(String(original)),
        path: formatted.path,
        hint,
      },
      'unexpected error',
    );
    return { ...base, message: 'internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId } };
  };
}
