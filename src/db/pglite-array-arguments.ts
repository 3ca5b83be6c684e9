// PGlite serialises a JS array parameter only when it knows the parameter's array type; for arrays of an
// enum (e.g. `roles @> $1` on Role[]) it sends the bare element and PostgreSQL answers "malformed array
// literal". Sending every plain array as a PostgreSQL array literal works for every element type we use.
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from '@prisma/driver-adapter-utils';

type Plain = string | number | boolean | null;

function isPlainArray(value: unknown): value is Plain[] {
  return Array.isArray(value) && value.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
}

export function toArrayLiteral(values: Plain[]): string {
  const items = values.map((item) => (item === null ? 'NULL' : `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
  return `{${items.join(',')}}`;
}

function withArrayLiterals(query: SqlQuery): SqlQuery {
  if (!query.args.some(isPlainArray)) return query;
  return { ...query, args: query.args.map((arg) => (isPlainArray(arg) ? toArrayLiteral(arg) : arg)) };
}

function wrap<T extends { queryRaw(query: SqlQuery): Promise<unknown>; executeRaw(query: SqlQuery): Promise<number> }>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (query: SqlQuery) => (value as Function).call(object, withArrayLiterals(query));
      }
      if (property === 'startTransaction') {
        return async (...args: unknown[]) => wrap((await (value as Function).apply(object, args)) as Transaction);
      }
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

export function withPgliteArrayArguments(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap<SqlDriverAdapter>(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
