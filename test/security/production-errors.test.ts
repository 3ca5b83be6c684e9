// NODE_ENV=production (SPEC §8): no introspection unless ALLOW_INTROSPECTION, no "Did you mean", no stack,
// SQL or Prisma text in any answer (a database error is forced), and an unexpected error's id is in the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { createSignedInUser } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeOf, LogCapture, send } from './http.helpers.js';

const PRODUCTION = { NODE_ENV: 'production', BCRYPT_COST: '10', MESSAGE_DISPATCH: 'off', LOG_LEVEL: 'info' };
const LEAKS = /prisma|postgres|pglite|SELECT|INSERT|UPDATE "|constraint|relation "|violat|\bat [\w.<>]+ \(|node_modules|\.ts:\d|stack/i;

let server: TestServer;
let open: TestServer;
const log = new LogCapture();
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer(PRODUCTION, new ManualClock('2026-06-15T06:30:00Z'), { logDestination: log });
  open = await startTestServer({ ...PRODUCTION, ALLOW_INTROSPECTION: 'true', LOG_LEVEL: 'silent' });
  adminToken = (await createSignedInUser(server, ['ADMIN'])).token;
});
afterAll(async () => {
  await server?.close();
  await open?.close();
});

describe('introspection in production', () => {
  const probes = [
    `{ __schema { types { name } } }`,
    `{ __type(name: "User") { fields { name } } }`,
    `query { me { id } ... on Query { __schema { queryType { name } } } }`,
    `query Sneaky { ...Probe } fragment Probe on Query { __type(name: "Customer") { name } }`,
  ];

  it('is refused, anonymous or as an admin, however it is wrapped', async () => {
    for (const probe of probes) {
      for (const token of [undefined, adminToken]) {
        const response = await server.gql(probe, {}, { token });
        expect(response.data, probe).toBeUndefined();
        // Anonymous callers may send only trusted documents in production: they are refused before validation.
        expect(codeOf(response), probe).toBe(token ? 'BAD_USER_INPUT' : 'TRUSTED_DOCUMENT_REQUIRED');
        expect(JSON.stringify(response), probe).not.toMatch(/"fields"|"types"|queryType/);
      }
    }
  });

  it('is allowed when ALLOW_INTROSPECTION is set', async () => {
    const response = await open.gql(`{ __type(name: "User") { fields { name } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.__type.fields.map((field: { name: string }) => field.name)).toContain('email');
  });

  it('never leaves __typename out, which frontends need', async () => {
    expect((await server.gql(`{ __typename }`)).data).toEqual({ __typename: 'Query' });
  });
});

describe('schema details in errors', () => {
  const typos = [
    [`{ mee { id } }`, {}],
    [`{ me { emial } }`, {}],
    [`{ products(frist: 1) { totalCount } }`, {}],
    [`query($status: UserStatus) { users(filter: { status: $status }) { totalCount } }`, { status: 'ACTIV' }],
    [`mutation { setUserStatus(userId: "x", status: DISABLE) { id } }`, {}],
    [`query($filter: UserFilter) { users(filter: $filter) { totalCount } }`, { filter: { rol: 'ADMIN' } }],
  ] as const;

  it('gives no suggestions in production', async () => {
    for (const [query, variables] of typos) {
      const response = await server.gql(query, variables, { token: adminToken });
      expect(codeOf(response), query).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(response), query).not.toMatch(/did you mean|suggest/i);
    }
    // The answer still names what was wrong, so a developer can fix the typo.
    expect((await server.gql(`{ mee { id } }`, {}, { token: adminToken })).errors?.[0].message).toBe('Cannot query field "mee" on type "Query".');
  });
});

describe('unexpected errors', () => {
  it('masks a database failure as INTERNAL_SERVER_ERROR with an error id that is in the log', async () => {
    const supplier = await server.database.prisma.user.create({
      data: { name: 'Probe Supplier', email: 'probe.supplier@example.in', roles: ['SUPPLIER'], supplier: { create: { businessName: 'Probe Dairy' } } },
      include: { supplier: true },
    });
    // A constraint no row can meet: every insert into Product now fails inside PostgreSQL.
    await server.database.prisma.$executeRawUnsafe(`ALTER TABLE "Product" ADD CONSTRAINT "security_probe_refuses_all" CHECK (false) NOT VALID`);
    try {
      const response = await server.gql(
        `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
        { input: { supplierId: supplier.supplier!.id, name: 'Forced Failure Milk', unit: '1 l', pricePaise: 6000 } },
        { token: adminToken },
      );
      expect(response.errors).toHaveLength(1);
      const [error] = response.errors!;
      expect(error.message).toBe('internal server error');
      expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(JSON.stringify(response)).not.toMatch(LEAKS);
      expect(JSON.stringify(response)).not.toContain('security_probe');
      // The operator finds the real cause under that id.
      const logged = log.lines.map((line) => JSON.parse(line)).find((line) => line.errorId === error.extensions!.errorId);
      expect(logged).toMatchObject({ level: 'error', msg: 'unexpected error' });
      expect(JSON.stringify(logged)).toContain('security_probe_refuses_all');
    } finally {
      await server.database.prisma.$executeRawUnsafe(`ALTER TABLE "Product" DROP CONSTRAINT "security_probe_refuses_all"`);
    }
  });

  it('masks a failure outside GraphQL execution (the session check) the same way', async () => {
    await server.database.prisma.$executeRawUnsafe(`ALTER TABLE "Session" RENAME TO "SessionMoved"`);
    let answer;
    try {
      answer = await send(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
    } finally {
      await server.database.prisma.$executeRawUnsafe(`ALTER TABLE "SessionMoved" RENAME TO "Session"`);
    }
    expect(answer.status).toBe(500);
    expect(answer.json.errors[0]).toMatchObject({ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(answer.text).not.toMatch(LEAKS);
    const errorId = answer.json.errors[0].extensions.errorId;
    expect(log.lines.some((line) => line.includes(errorId) && line.includes('"level":"error"'))).toBe(true);
  });

  it('keeps statement counts and stack traces out of production answers', async () => {
    const answer = await send(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(answer.headers.get('x-sql-statements')).toBeNull();
    expect(answer.headers.get('x-powered-by')).toBeNull();
    expect(answer.text).not.toMatch(/stacktrace|exception/i);
  });
});
