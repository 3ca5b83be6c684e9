// Counts the SQL statements a unit of work sends, at the driver: the proof that list sizes do not change
// the number of round trips (no N+1), and the "statements per request" figure of the benchmarks.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { wrapAdapterFactory } from '../shared/adapter-wrapping.js';
import type { ReadRouting } from './replicas.js';

export interface StatementTally {
  statements: number;
  /** Present in requests when read replicas are configured (replicas.ts). */
  readRouting?: ReadRouting;
}

const currentTally = new AsyncLocalStorage<StatementTally>();

export function countStatements<T>(tally: StatementTally, work: () => T): T {
  return currentTally.run(tally, work);
}

/** The tally of the unit of work running now (the HTTP layer keeps its request scope in it). */
export function currentStatementTally(): StatementTally | undefined {
  return currentTally.getStore();
}

export function withStatementCounting(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return wrapAdapterFactory(factory, {
    statement: (query, send) => {
      const tally = currentTally.getStore();
      if (tally) tally.statements += 1;
      return send(query);
    },
  });
}
