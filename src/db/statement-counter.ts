// Counts the SQL statements a unit of work sends, at the driver: the proof that list sizes do not change
// the number of round trips (no N+1), and the "statements per request" figure of the benchmarks.
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  Transaction,
} from '@prisma/driver-adapter-utils';
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

function countOne(): void {
  const tally = currentTally.getStore();
  if (tally) tally.statements += 1;
}

function wrapQueryable<T extends { queryRaw: Function; executeRaw: Function }>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (...args: unknown[]) => {
          countOne();
          return (value as Function).apply(object, args);
        };
      }
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => {
          const transaction = (await (value as Function).apply(object, args)) as Transaction;
          return wrapQueryable(transaction);
        };
      }
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

export function withStatementCounting(
  factory: SqlMigrationAwareDriverAdapterFactory,
): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrapQueryable<SqlDriverAdapter>(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
