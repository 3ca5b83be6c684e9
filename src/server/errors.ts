// The one error formatter (SPEC §8): AppErrors keep their code; request errors (parse, validation,
// variables) become BAD_USER_INPUT; everything else is masked as INTERNAL_SERVER_ERROR with an error id
// that is logged with the real error. Production answers carry no stack, SQL or "Did you mean".
import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, isAppError } from '../shared/errors.js';
import type { Logger } from './logger.js';

const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
]);

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export function createErrorFormatter(log: Logger, options: { production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (isAppError(original)) {
      const { code, ...rest } = original.extensions as Record<string, unknown>;
      return { ...base, message: original.message, extensions: { ...rest, code } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && (REQUEST_ERROR_CODES.has(code) || (KNOWN_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR))) {
      const message = options.production ? formatted.message.replace(/ ?Did you mean .*\?$/, '') : formatted.message;
      return { ...base, message, extensions: { code: REQUEST_ERROR_CODES.has(code) ? ErrorCode.BAD_USER_INPUT : code } };
    }
    const errorId = randomUUID();
    log.error({ errorId, err: original instanceof Error ? original : new Error(String(original)), path: formatted.path }, 'unexpected error');
    return { ...base, message: 'internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId } };
  };
}
