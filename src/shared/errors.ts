// The error codes of SPEC §8. Services throw AppError; the one formatter (src/server/errors.ts) turns the
// code into `extensions.code` and masks everything else as INTERNAL_SERVER_ERROR with a logged error id.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  RATE_LIMITED: 'RATE_LIMITED',
  REFRESH_RACE: 'REFRESH_RACE',
  /** A correct password of a staff account that needs a second factor: extensions.challenge goes to verifySecondFactor. */
  SECOND_FACTOR_REQUIRED: 'SECOND_FACTOR_REQUIRED',
  /** The session may only enrol a second factor (beginTotpEnrolment or a passkey) until it has one. */
  SECOND_FACTOR_ENROLMENT_REQUIRED: 'SECOND_FACTOR_ENROLMENT_REQUIRED',
  /** This needs a second factor proved in the last 15 minutes: call reauthenticate, then retry. */
  STEP_UP_REQUIRED: 'STEP_UP_REQUIRED',
  /** An HTTP request refused before any operation runs: malformed, too large, batched, or blocked by CSRF prevention. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** extensions.persistedQuery names an id no trusted document has (the server registers none): send a manifest id. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** The caller may run only trusted documents (TRUSTED_DOCUMENTS=only) and sent another (HTTP 400). */
  TRUSTED_DOCUMENT_REQUIRED: 'TRUSTED_DOCUMENT_REQUIRED',
  /** The database or Redis cannot be reached just now: retry after `extensions.retryAfterSeconds` (HTTP 503). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.code = code;
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = 'authentication required') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'not allowed') => new AppError(ErrorCode.FORBIDDEN, message);
/** `field` names the offending input, e.g. `input.phone`. */
export const badUserInput = (field: string, message: string) => new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field });
/** `message` says what was wrong with the HTTP request and what to send instead. */
export const badRequest = (message: string) => new AppError(ErrorCode.BAD_REQUEST, message);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const conflict = (message: string) => new AppError(ErrorCode.CONFLICT, message);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(ErrorCode.RATE_LIMITED, 'too many attempts: try again later', {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
  });

/** How long a client should wait before retrying after an outage answer. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** `dependency` is for the log only: clients are not told which part of the system is down. */
export class ServiceUnavailableError extends AppError {
  constructor(
    readonly dependency: 'database' | 'redis',
    readonly reason: string,
  ) {
    super(ErrorCode.SERVICE_UNAVAILABLE, 'service temporarily unavailable: try again shortly', {
      retryAfterSeconds: OUTAGE_RETRY_AFTER_SECONDS,
    });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
