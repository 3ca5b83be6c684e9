// A guard for a reported fault of Prisma's pg driver adapter: after a database error inside an interactive
// transaction, later queries on the pool could receive other queries' results. Here transactions fail in
// three ways (a unique violation, a statement the database rejects, an error thrown by the application)
// while plain queries and successful transactions run at the same time on the same pool, and every answer
// must be the value only its own request knows.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// A multiple of the six kinds, so each runs equally often.
const OPERATIONS = 2_004;
const CONCURRENCY = 16;
let database: TestDatabase;
let takenEmail: string;

beforeAll(async () => {
  database = await createTestDatabase();
  takenEmail = `taken-${randomBytes(4).toString('hex')}@isolation.example`;
  await database.prisma.user.create({ data: { name: 'taken', email: takenEmail, roles: ['CUSTOMER'] } });
});
afterAll(async () => database?.close());

class ApplicationFailure extends Error {}

type Kind = 'plain' | 'model' | 'transaction' | 'unique violation' | 'statement error' | 'thrown error';
const KINDS: Kind[] = ['plain', 'model', 'transaction', 'unique violation', 'statement error', 'thrown error'];

describe('interactive transactions that fail, next to concurrent requests on one pool', () => {
  it(`give every one of ${OPERATIONS} operations its own answer`, { timeout: 240_000 }, async () => {
    const prisma = database.prisma;
    const echo = async (client: Pick<typeof prisma, '$queryRaw'>, token: string) =>
      (await client.$queryRaw<{ value: string }[]>`SELECT ${token}::text AS value`)[0]?.value;
    const wrong: string[] = [];
    const outcomes = new Map<string, number>();
    const check = (kind: string, token: string, answer: unknown) => {
      if (answer !== token) wrong.push(`${kind}: expected ${token}, received ${JSON.stringify(answer)}`);
    };

    async function operation(index: number): Promise<void> {
      const kind = KINDS[index % KINDS.length];
      const token = `${kind}-${index}-${randomBytes(6).toString('hex')}`;
      let failed: unknown;
      try {
        switch (kind) {
          case 'plain':
            check(kind, token, await echo(prisma, token));
            break;
          case 'model': {
            const created = await prisma.user.create({ data: { name: token, email: `${token}@isolation.example`, roles: ['CUSTOMER'] } });
            check(kind, token, (await prisma.user.findUnique({ where: { email: `${token}@isolation.example` } }))?.name);
            check(kind, created.id, (await prisma.user.findUnique({ where: { id: created.id } }))?.id);
            break;
          }
          case 'transaction':
            await prisma.$transaction(async (tx) => {
              check(kind, token, await echo(tx, token));
              const created = await tx.user.create({ data: { name: token, roles: ['CUSTOMER'] } });
              check(kind, token, (await tx.user.findUnique({ where: { id: created.id } }))?.name);
            });
            break;
          case 'unique violation':
            await prisma.$transaction(async (tx) => {
              check(kind, token, await echo(tx, token));
              await tx.user.create({ data: { name: token, email: takenEmail, roles: ['CUSTOMER'] } });
            });
            break;
          case 'statement error':
            await prisma.$transaction(async (tx) => {
              check(kind, token, await echo(tx, token));
              await tx.$queryRaw`SELECT ${token}::int AS value`;
            });
            break;
          case 'thrown error':
            await prisma.$transaction(async (tx) => {
              check(kind, token, await echo(tx, token));
              await tx.user.create({ data: { name: token, roles: ['CUSTOMER'] } });
              throw new ApplicationFailure(token);
            });
            break;
        }
      } catch (error) {
        failed = error;
      }
      const failing = kind === 'unique violation' || kind === 'statement error' || kind === 'thrown error';
      const outcome = `${kind}: ${failed === undefined ? 'ok' : failing ? 'failed as meant' : `failed: ${failed instanceof Error ? failed.message : JSON.stringify(failed)}`}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (kind === 'unique violation') expect((failed as { code?: string })?.code).toBe('P2002');
      if (kind === 'thrown error') expect(failed).toBeInstanceOf(ApplicationFailure);
      // Straight after a failure, on whichever connection the pool hands out next.
      const after = `${token}-after`;
      check(`${kind} (next query)`, after, await echo(prisma, after));
    }

    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < OPERATIONS) await operation(next++);
      }),
    );

    expect(wrong).toEqual([]);
    const each = OPERATIONS / KINDS.length;
    expect(Object.fromEntries(outcomes)).toEqual({
      'plain: ok': each,
      'model: ok': each,
      'transaction: ok': each,
      'unique violation: failed as meant': each,
      'statement error: failed as meant': each,
      'thrown error: failed as meant': each,
    });
    // Nothing of a failed transaction stayed: only the plain creates and the successful transactions' rows.
    expect(await prisma.user.count()).toBe(1 + 2 * each);
    expect(await prisma.user.count({ where: { name: { startsWith: 'thrown error' } } })).toBe(0);
  });
});
