// Driver and Prisma errors that services turn into typed AppErrors.
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: string; cause?: { code?: string }; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return candidate.code === 'P2002' || candidate.code === '23505' || candidate.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation';
}

// The one list of errors that mean "the database cannot be reached now", answered SERVICE_UNAVAILABLE
// (retryable) rather than INTERNAL_SERVER_ERROR: refused or reset connections, a server shutting down or
// starting (57P01-57P03), connection exceptions (class 08), statement and connect timeouts, Prisma's
// unreachable/timeout codes and the driver adapter's connection kinds.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '53300',
  'P1001',
  'P1002',
  'P1017',
  'P2024',
]);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const UNAVAILABLE_MESSAGES = [
  /Query read timeout/,
  /timeout exceeded when trying to connect/,
  /Connection terminated/,
  /Client has encountered a connection error/,
  /the database system is (starting up|shutting down|in recovery mode)/,
  /terminating connection due to administrator command/,
  /canceling statement due to statement timeout/,
  /Can't reach database server/,
];

/** The reason (a short text for the log) when this error means the database is unreachable; else null. */
export function databaseUnavailableReason(error: unknown, depth = 0): string | null {
  if (typeof error !== 'object' || error === null || depth > 6) return null;
  const candidate = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    kind?: unknown;
    originalCode?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
  };
  const adapterCause = candidate.meta?.driverAdapterError?.cause;
  for (const code of [candidate.code, candidate.originalCode, adapterCause?.originalCode]) {
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return code;
  }
  for (const kind of [candidate.kind, adapterCause?.kind]) {
    if (typeof kind === 'string' && UNAVAILABLE_KINDS.has(kind)) return kind;
  }
  const message = typeof candidate.message === 'string' ? candidate.message : '';
  const matched = UNAVAILABLE_MESSAGES.find((pattern) => pattern.test(message));
  if (matched) return message.slice(0, 200);
  return databaseUnavailableReason(candidate.cause, depth + 1);
}

// Named prepared statements through PgBouncer in transaction mode: each transaction may get another server
// connection, where the statement is missing (26000) or was prepared by another client (42P05).
const PREPARED_STATEMENT_CODES = new Set(['26000', '42P05']);
export const NAMED_STATEMENTS_HINT =
  'a named prepared statement is missing or taken on this server connection: behind PgBouncer in transaction mode set DATABASE_NAMED_STATEMENTS=false (docs/deployment.md)';

/** The hint for the log when this error is a named prepared statement lost or taken by a pooler; else null. */
export function namedStatementsHint(error: unknown, depth = 0): string | null {
  if (typeof error !== 'object' || error === null || depth > 6) return null;
  const candidate = error as {
    code?: unknown;
    originalCode?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
  };
  for (const code of [candidate.code, candidate.originalCode, candidate.meta?.driverAdapterError?.cause?.originalCode]) {
    if (typeof code === 'string' && PREPARED_STATEMENT_CODES.has(code)) return NAMED_STATEMENTS_HINT;
  }
  return namedStatementsHint(candidate.cause, depth + 1);
}
