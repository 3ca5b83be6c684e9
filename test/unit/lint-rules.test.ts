// The project's own ESLint rules, through ESLint's RuleTester with typed linting: each case is linted as one
// of the fixture files under fixtures/prisma-rule (its tsconfig puts them in a program of their own), and the
// Prisma types come from the generated client in src/generated, as in the sources.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import noPrismaOutsideRepositories from '../../eslint-rules/no-prisma-outside-repositories.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'prisma-rule');
const service = path.join(fixtures, 'src/modules/orders/order.service.ts');
const repository = path.join(fixtures, 'src/modules/orders/order.repository.ts');
const outsideModules = path.join(fixtures, 'src/shared/clock.ts');

// From each fixture file (three folders down), the repository's generated client.
const client = `
import type { PrismaClient } from '../../../../../../../src/generated/prisma/client.js';
type Transaction = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
declare const db: PrismaClient;
declare const tx: Transaction;
`;
const clientOutsideModules = client.replace('../../../../../../../', '../../../../../../');

const ruleTester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { project: path.join(fixtures, 'tsconfig.json'), tsconfigRootDir: fixtures },
  },
});

describe('local/no-prisma-outside-repositories', () => {
  ruleTester.run('no-prisma-outside-repositories', noPrismaOutsideRepositories, {
    valid: [
      // A repository runs the statements.
      {
        filename: repository,
        code: `${client}
export const orders = () => db.order.findMany({ where: { id: 'o1' } });
export const count = () => tx.$queryRaw\`SELECT 1\`;
export const touch = (id: string) => tx.customer.update({ where: { id }, data: {} });`,
      },
      // A service opens the transaction and hands it to repositories.
      {
        filename: service,
        code: `${client}
declare function markPaid(transaction: Transaction, id: string): Promise<void>;
export const pay = (id: string) => db.$transaction((transaction) => markPaid(transaction, id));`,
      },
      // Same names, not Prisma's types: nothing to report.
      {
        filename: service,
        code: `
const cache = { customer: { findMany: (where: object) => [where] }, $queryRaw: (sql: string) => sql };
export const rows = cache.customer.findMany({});
export const sql = cache.$queryRaw('SELECT 1');`,
      },
      // A delegate passed along but not called here, and the client's non-statement members.
      {
        filename: service,
        code: `${client}
export const delegate = () => db.order;
export const close = () => db.$disconnect();`,
      },
      // Outside src/modules (the rule's scope): not this rule's business.
      {
        filename: outsideModules,
        code: `${clientOutsideModules}
export const orders = () => db.order.findMany();`,
      },
    ],
    invalid: [
      {
        filename: service,
        code: `${client}
export const orders = () => db.order.findMany({ where: { id: 'o1' } });
export const update = (id: string) => tx.customer.update({ where: { id }, data: {} });`,
        errors: [
          { messageId: 'delegate', data: { model: 'order', method: 'findMany' } },
          { messageId: 'delegate', data: { model: 'customer', method: 'update' } },
        ],
      },
      // By type, whatever the names: an aliased delegate, a client under another name, optional chaining.
      {
        filename: service,
        code: `${client}
const orders = tx.order;
export const cancel = (id: string) => orders.update({ where: { id }, data: {} });
export const first = (prisma: PrismaClient | undefined) => prisma?.order.findFirst();
export const typed = (client: Transaction) => client['customer'].count();`,
        errors: [
          { messageId: 'delegate', data: { model: 'order', method: 'update' } },
          { messageId: 'delegate', data: { model: 'order', method: 'findFirst' } },
          { messageId: 'delegate', data: { model: 'customer', method: 'count' } },
        ],
      },
      // Raw SQL: tagged templates and calls, on the client and on a transaction.
      {
        filename: service,
        code: `${client}
export const one = () => db.$queryRaw\`SELECT 1\`;
export const lock = () => tx.$executeRaw\`SELECT pg_advisory_xact_lock(1)\`;
export const unsafe = (sql: string) => tx.$queryRawUnsafe(sql);
export const run = (sql: string) => db.$executeRawUnsafe(sql);`,
        errors: [
          { messageId: 'raw', data: { method: '$queryRaw' } },
          { messageId: 'raw', data: { method: '$executeRaw' } },
          { messageId: 'raw', data: { method: '$queryRawUnsafe' } },
          { messageId: 'raw', data: { method: '$executeRawUnsafe' } },
        ],
      },
      // Inside a service's transaction the statements are still the repositories' to run.
      {
        filename: service,
        code: `${client}
export const pay = (id: string) =>
  db.$transaction((transaction) => transaction.order.update({ where: { id }, data: {} }));`,
        errors: [{ messageId: 'delegate', data: { model: 'order', method: 'update' } }],
      },
    ],
  });
});
