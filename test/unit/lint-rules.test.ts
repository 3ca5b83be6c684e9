// The project's own ESLint rules. The local Prisma rule through ESLint's RuleTester with typed linting: each
// case is linted as one of the fixture files under fixtures/prisma-rule (its tsconfig puts them in a program
// of their own), and the Prisma types come from the generated client in src/generated, as in the sources.
// The boundary and process.env sections of eslint.config.mjs, as configured, over the small source tree of
// fixtures/boundaries (the files imported exist there; the importing file's text is each case's).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundariesSection, environmentSection } from '../../eslint.config.mjs';
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
    // Each case's text replaces its file's: under CI=true typescript-eslint would otherwise infer a single run
    // and type the files as they are on disk.
    parserOptions: { project: path.join(fixtures, 'tsconfig.json'), tsconfigRootDir: fixtures, disallowAutomaticSingleRunInference: true },
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

const boundariesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'boundaries');

async function problems(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: boundariesRoot,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      { ...boundariesSection, settings: { ...boundariesSection.settings, 'boundaries/root-path': boundariesRoot } },
      environmentSection,
    ],
  });
  const [result] = await eslint.lintText(code, { filePath: path.join(boundariesRoot, file) });
  return result.messages.map((message) => `${message.line} ${message.ruleId ?? 'fatal'}: ${message.message}`);
}

describe('the boundaries between src/modules, src/server, src/auth and src/shared', () => {
  it('lets a module import its own files and other modules through their index.ts only', async () => {
    const code = [
      "import { value as own } from './index.js';",
      "import { value as service } from './order.service.js';",
      "import { value as customers } from '../customers/index.js';",
      "import { value as customerService } from '../customers/customer.service.js';",
      "export { value as reexported } from '../customers/customer.service.js';",
      "import { value as database } from '../../db/client.js';",
      'export const all = [own, service, customers, customerService, database];',
    ].join('\n');
    const message = 'boundaries/dependencies: Another module is imported only through its index.ts (src/modules/customers/index.ts)';
    expect(await problems('src/modules/orders/order.resolver.ts', code)).toEqual([`4 ${message}`, `5 ${message}`]);
    // A module's index.ts is held to the same rule.
    expect(await problems('src/modules/orders/index.ts', "export { value } from '../customers/customer.service.js';")).toEqual([`1 ${message}`]);
  });

  it('keeps src/server out of src/modules, type-only and dynamic imports included', async () => {
    const code = [
      "import type { value as context } from '../../server/context.js';",
      "export const later = () => import('../../server/context.js');",
      'export type Context = typeof context;',
    ].join('\n');
    const message = 'boundaries/dependencies: A module does not import src/server: the server composes the modules, not the reverse';
    expect(await problems('src/modules/orders/order.service.ts', code)).toEqual([`1 ${message}`, `2 ${message}`]);
  });

  it('keeps src/shared free of src/modules, src/server and src/auth', async () => {
    const code = [
      "import { value as orders } from '../modules/orders/index.js';",
      "import { value as context } from '../server/context.js';",
      "import { value as roles } from '../auth/roles.js';",
      "import { value as money } from './money.js';",
      "import { value as database } from '../db/client.js';",
      'export const all = [orders, context, roles, money, database];',
    ].join('\n');
    const message = 'boundaries/dependencies: src/shared imports nothing from src/modules, src/server or src/auth';
    expect(await problems('src/shared/pagination.ts', code)).toEqual([`1 ${message}`, `2 ${message}`, `3 ${message}`]);
  });
});

describe('process.env only in src/config', () => {
  const code = [
    "import { env } from 'node:process';",
    'export const port = process.env.PORT;',
    'const { env: environment } = process;',
    'export const all = [env, environment];',
  ].join('\n');

  it('is refused anywhere else in src', async () => {
    const message = 'process.env is read only in src/config: take the value from the parsed configuration';
    expect(await problems('src/server/http.ts', code)).toEqual([
      `1 no-restricted-imports: 'env' import from 'node:process' is restricted. ${message}`,
      `2 no-restricted-properties: 'process.env' is restricted from being used. ${message}`,
      `3 no-restricted-properties: 'process.env' is restricted from being used. ${message}`,
    ]);
  });

  it('is read in src/config', async () => {
    expect(await problems('src/config/env.ts', code)).toEqual([]);
  });
});
