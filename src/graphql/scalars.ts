// DateTime: an instant, ISO 8601 with offset. Date: an IST calendar day as YYYY-MM-DD, carried internally
// as a UTC-midnight Date (how Prisma stores `@db.Date`).
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { ErrorCode } from '../shared/errors.js';
import { formatDateOnly, parseDateOnly } from '../shared/time.js';

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

function checkRange(value: Date): Date {
  if (Number.isNaN(value.getTime()) || value.getTime() < EARLIEST || value.getTime() >= LATEST) {
    throw new GraphQLError('DateTime must be between 1970 and 2200', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  return value;
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, ISO 8601 with offset, e.g. 2026-06-30T05:30:00.000Z',
  serialize: (value) => DateTimeResolver.serialize(value),
  parseValue: (value) => checkRange(DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => checkRange(DateTimeResolver.parseLiteral(ast, variables)),
});

function parseDate(value: unknown): Date {
  if (typeof value !== 'string') {
    throw new GraphQLError('Date must be a YYYY-MM-DD string', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  try {
    return checkRange(parseDateOnly('Date', value));
  } catch (error) {
    throw new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar day in India (IST), YYYY-MM-DD',
  serialize: (value) => {
    if (value instanceof Date) return formatDateOnly(value);
    if (typeof value === 'string') return value;
    throw new GraphQLError('Date cannot represent this value');
  },
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('Date must be a YYYY-MM-DD string', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    }
    return parseDate(ast.value);
  },
});
