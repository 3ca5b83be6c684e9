// One way to change what a Prisma driver adapter does while keeping everything else its own: statement
// counting, PGlite's array arguments and whole migration scripts each wrap the adapter the same way.
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/** An adapter's own way of sending one statement (queryRaw or executeRaw). */
type SendStatement = (query: SqlQuery) => Promise<unknown>;

interface AdapterWrapping {
  /** Sends each queryRaw/executeRaw, of the adapter and of every transaction it starts, through `send`. */
  statement?: (query: SqlQuery, send: SendStatement) => Promise<unknown>;
  /** The adapter's executeScript instead of its own; undefined leaves that adapter's own in place. */
  executeScript?: (adapter: SqlDriverAdapter) => ((script: string) => Promise<void>) | undefined;
  /** Whether the schema engine's shadow database is wrapped too (otherwise it is passed through). */
  shadowDatabase?: boolean;
}

type Queryable = SqlDriverAdapter | Transaction;

function wrapQueryable<T extends Queryable>(target: T, wrapping: AdapterWrapping, executeScript?: (script: string) => Promise<void>): T {
  const { statement } = wrapping;
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property === 'executeScript' && executeScript) return executeScript;
      const value = Reflect.get(object, property, receiver);
      if (statement && (property === 'queryRaw' || property === 'executeRaw')) {
        const send = value as SendStatement;
        return (query: SqlQuery) => statement(query, (sent) => send.call(object, sent));
      }
      if (statement && property === 'startTransaction') {
        const start = value as (...args: unknown[]) => Promise<Transaction>;
        return async (...args: unknown[]) => wrapQueryable(await start.apply(object, args), wrapping);
      }
      // Everything else is the adapter's own, called on it.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** The adapter with `wrapping` applied; the adapter itself when there is nothing to change on it. */
function wrapAdapter(adapter: SqlDriverAdapter, wrapping: AdapterWrapping): SqlDriverAdapter {
  const executeScript = wrapping.executeScript?.(adapter);
  if (!wrapping.statement && !executeScript) return adapter;
  return wrapQueryable(adapter, wrapping, executeScript);
}

/** A factory whose adapters (and, with `shadowDatabase`, shadow-database adapters) are wrapped. */
export function wrapAdapterFactory(factory: SqlMigrationAwareDriverAdapterFactory, wrapping: AdapterWrapping): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrapAdapter(await factory.connect(), wrapping),
    connectToShadowDb: wrapping.shadowDatabase ? async () => wrapAdapter(await factory.connectToShadowDb(), wrapping) : () => factory.connectToShadowDb(),
  };
}
