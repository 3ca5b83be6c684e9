// The request a piece of code runs for, without passing it around: the error formatter (which Apollo calls
// without the context) and the metrics plugin read the request id and start time from here.
// It lives in the statement counter's AsyncLocalStorage rather than one of its own: every store costs a
// hook call on every promise the request creates (~0.3 ms of a `Me` request per store).
import { countStatements, currentStatementTally, type StatementTally } from '../db/statement-counter.js';

interface RequestScope extends StatementTally {
  readonly requestId: string;
  /** process.hrtime.bigint() when the request arrived. */
  readonly startedAt: bigint;
}

/** Runs `work` in the request's scope; the SQL statements it sends are counted on `scope.statements`. */
export function runInRequestScope<T>(scope: Omit<RequestScope, 'statements'> & { statements?: number }, work: () => T): T {
  scope.statements ??= 0;
  return countStatements(scope as RequestScope, work);
}

export function currentRequestScope(): RequestScope | undefined {
  const store = currentStatementTally();
  return store && 'requestId' in store ? (store as RequestScope) : undefined;
}
