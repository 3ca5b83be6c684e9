// PGlite serialises a JS array parameter only when it knows the parameter's array type; for arrays of an
// enum (e.g. `roles @> $1` on Role[]) it sends the bare element and PostgreSQL answers "malformed array
// literal". Sending every plain array as a PostgreSQL array literal works for every element type we use.
import type { SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import { wrapAdapterFactory } from '../shared/adapter-wrapping.js';

type Plain = string | number | boolean | null;

function isPlainArray(value: unknown): value is Plain[] {
  return Array.isArray(value) && value.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item));
}

function toArrayLiteral(values: Plain[]): string {
  const items = values.map((item) => (item === null ? 'NULL' : `"${String(item).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`));
  return `{${items.join(',')}}`;
}

function withArrayLiterals(query: SqlQuery): SqlQuery {
  if (!query.args.some(isPlainArray)) return query;
  return { ...query, args: query.args.map((arg) => (isPlainArray(arg) ? toArrayLiteral(arg) : arg)) };
}

export function withPgliteArrayArguments(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return wrapAdapterFactory(factory, { statement: (query, send) => send(withArrayLiterals(query)) });
}
