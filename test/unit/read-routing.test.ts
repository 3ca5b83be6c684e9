// Which requests and statements may go to a read replica (docs/deployment.md "Read replicas"): the pure parts.
// The routing itself, on a real streaming replica, is test/integration/read-replicas.test.ts.
import 'reflect-metadata';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/env.js';
import { isPlainRead } from '../../src/db/replicas.js';
import { MemoryWritePositions, REPLICA_FIELDS, selectsReplicaField } from '../../src/server/read-routing.js';
import { buildBaseSchema } from '../../src/server/schema.js';
import { contractOperation } from '../support/contract.js';

const base = { NODE_ENV: 'test', DATABASE_URL: 'postgresql://bff@db.internal:5432/bff' };

function problems(environment: Record<string, string>): string[] {
  try {
    parseConfig(environment);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('replica settings', () => {
  it('reads the URLs and the maximum lag, 30 s by default; none by default', () => {
    expect(parseConfig(base)).toMatchObject({ DATABASE_REPLICA_URLS: [], DATABASE_REPLICA_MAX_LAG_SECONDS: 30 });
    const config = parseConfig({ ...base, DATABASE_REPLICA_URLS: ' postgresql://r1:5432/bff , postgres://r2/bff', DATABASE_REPLICA_MAX_LAG_SECONDS: '5' });
    expect(config.DATABASE_REPLICA_URLS).toEqual(['postgresql://r1:5432/bff', 'postgres://r2/bff']);
    expect(config.DATABASE_REPLICA_MAX_LAG_SECONDS).toBe(5);
  });

  it('names each bad entry and value', () => {
    expect(problems({ ...base, DATABASE_REPLICA_URLS: 'postgresql://r1/bff,mysql://r2/bff' })).toEqual([
      "DATABASE_REPLICA_URLS: entry 2 is not a postgres:// or postgresql:// URL (give the replicas' URLs, comma-separated)",
    ]);
    expect(problems({ ...base, DATABASE_REPLICA_URLS: 'postgresql://r1/bff,,postgresql://r1/bff' })).toEqual([
      "DATABASE_REPLICA_URLS: entry 2 is not a postgres:// or postgresql:// URL (give the replicas' URLs, comma-separated)",
      'DATABASE_REPLICA_URLS: entry 3 repeats entry 1',
    ]);
    expect(problems({ ...base, DATABASE_REPLICA_URLS: base.DATABASE_URL })).toEqual([
      'DATABASE_REPLICA_URLS: lists DATABASE_URL itself: give the replicas only',
    ]);
    expect(problems({ NODE_ENV: 'test', DATABASE_REPLICA_URLS: 'postgresql://r1/bff' })).toEqual([
      'DATABASE_REPLICA_URLS: needs DATABASE_URL (the primary); the embedded database has no replicas',
    ]);
    expect(problems({ ...base, DATABASE_REPLICA_MAX_LAG_SECONDS: '0' })).toEqual(['DATABASE_REPLICA_MAX_LAG_SECONDS: must be at least 1 (seconds)']);
  });
});

describe('plain reads', () => {
  it('are SELECTs without a write, lock or side effect', () => {
    expect(isPlainRead('SELECT "t0"."id" FROM "public"."Order" AS "t0" WHERE "t0"."updatedAt" > $1')).toBe(true);
    expect(isPlainRead('  WITH "page" AS (SELECT 1) SELECT * FROM "page"')).toBe(true);
    for (const sql of [
      'INSERT INTO "Order" ("id") VALUES ($1) RETURNING "id"',
      'UPDATE "Order" SET "status" = $1',
      'WITH "folded" AS (DELETE FROM "ActivationTallyChange" RETURNING *) SELECT count(*) FROM "folded"',
      'SELECT "id" FROM "OutboxMessage" FOR UPDATE SKIP LOCKED',
      'SELECT pg_try_advisory_xact_lock(42)',
      'SELECT nextval($1)',
      "SELECT set_config('statement_timeout', '1s', false)",
      'BEGIN',
    ]) {
      expect(isPlainRead(sql), sql).toBe(false);
    }
  });
});

describe('replica operations', () => {
  it('are the queries that select the dashboard, a connection, the supplier portal or the role audit', async () => {
    const schema = await buildBaseSchema();
    const routed = (name: string) => selectsReplicaField(schema, parse(contractOperation(name)));
    for (const name of ['ActivationDashboard', 'Customers', 'Users', 'Products', 'Me', 'SupplierPortal', 'RoleAudit']) expect(routed(name), name).toBe(true);
    for (const name of ['LookupUser', 'MyRoute', 'PendingPriceChanges', 'CustomerActivation']) expect(routed(name), name).toBe(false);
    // Named in a fragment, too.
    expect(selectsReplicaField(schema, parse('query { me { ...Portal } } fragment Portal on User { supplier { earnings(period: MONTH) { period } } }'))).toBe(
      true,
    );
  });

  it('name fields that exist', async () => {
    const schema = await buildBaseSchema();
    for (const coordinate of REPLICA_FIELDS) {
      const [typeName, fieldName] = coordinate.split('.');
      const type = schema.getType(typeName) as { getFields?: () => Record<string, unknown> } | undefined;
      expect(type?.getFields?.()[fieldName], coordinate).toBeDefined();
    }
  });
});

describe('write positions kept in memory', () => {
  it('keep the larger position for each user until the window ends', async () => {
    const positions = new MemoryWritePositions(60_000);
    expect(await positions.lastWrite('u1')).toBeUndefined();
    await positions.remember(['u1', 'u2'], 500n);
    await positions.remember(['u1'], 400n);
    expect(await positions.lastWrite('u1')).toBe(500n);
    await positions.remember(['u1'], 900n);
    expect(await positions.lastWrite('u1')).toBe(900n);
    expect(await positions.lastWrite('u2')).toBe(500n);
    const expired = new MemoryWritePositions(0);
    await expired.remember(['u1'], 500n);
    expect(await expired.lastWrite('u1')).toBeUndefined();
  });
});
