// The settings for running behind PgBouncer in transaction mode, and the hint a lost or taken named
// prepared statement leaves in the log (docs/deployment.md, "PgBouncer").
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { configProblems } from '../support/config.js';
import { NAMED_STATEMENTS_HINT, namedStatementsHint } from '../../src/db/errors.js';

const base = { NODE_ENV: 'test', JWT_SECRET: 'unit-test-secret-that-is-at-least-32-bytes' };

const problems = (environment: Record<string, string>) => configProblems(environment, base);

describe('DATABASE_NAMED_STATEMENTS and DATABASE_DIRECT_URL', () => {
  it('keeps named statements on and no direct URL by default', () => {
    const config = parseConfig({ ...base, DATABASE_URL: 'postgresql://bff@db:5432/bff' });
    expect(config.DATABASE_NAMED_STATEMENTS).toBe(true);
    expect(config.DATABASE_DIRECT_URL).toBeUndefined();
  });

  it('reads named statements off and a direct URL beside a pooled one', () => {
    const config = parseConfig({
      ...base,
      DATABASE_URL: 'postgresql://bff@pgbouncer:6432/bff',
      DATABASE_DIRECT_URL: 'postgresql://bff@db:5432/bff',
      DATABASE_NAMED_STATEMENTS: 'false',
    });
    expect(config.DATABASE_NAMED_STATEMENTS).toBe(false);
    expect(config.DATABASE_DIRECT_URL).toBe('postgresql://bff@db:5432/bff');
  });

  it('names each bad value', () => {
    expect(problems({ DATABASE_NAMED_STATEMENTS: 'off' })).toEqual([expect.stringMatching(/^DATABASE_NAMED_STATEMENTS: /)]);
    expect(problems({ DATABASE_URL: 'postgresql://bff@pgbouncer:6432/bff', DATABASE_DIRECT_URL: 'mysql://db/bff' })).toEqual([
      'DATABASE_DIRECT_URL: must be a postgres:// or postgresql:// URL',
    ]);
    expect(problems({ DATABASE_DIRECT_URL: 'postgresql://bff@db:5432/bff' })).toEqual(['DATABASE_DIRECT_URL: is only used with DATABASE_URL (PostgreSQL)']);
  });
});

describe('namedStatementsHint', () => {
  // The shape Prisma gives a driver error (P2039 with the adapter's cause), as PgBouncer provokes it.
  const taken = {
    code: 'P2039',
    meta: { driverAdapterError: { cause: { originalCode: '42P05', kind: 'postgres', message: 'prepared statement "bff_0" already exists' } } },
  };
  const missing = new Error('wrapped', { cause: { code: '26000', message: 'prepared statement "bff_3" does not exist' } });

  it('names DATABASE_NAMED_STATEMENTS for a statement taken or missing on the server connection', () => {
    expect(namedStatementsHint(taken)).toBe(NAMED_STATEMENTS_HINT);
    expect(namedStatementsHint(missing)).toBe(NAMED_STATEMENTS_HINT);
    expect(NAMED_STATEMENTS_HINT).toContain('DATABASE_NAMED_STATEMENTS=false');
  });

  it('says nothing for other database errors', () => {
    expect(namedStatementsHint({ code: 'P2002', meta: { driverAdapterError: { cause: { originalCode: '23505' } } } })).toBeNull();
    expect(namedStatementsHint(new Error('Connection terminated'))).toBeNull();
    expect(namedStatementsHint(null)).toBeNull();
  });
});
