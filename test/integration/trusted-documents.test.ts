// Trusted documents (docs/frontend.md "Trusted documents") through the real server: a server with
// TRUSTED_DOCUMENTS=only (the production default) runs manifest ids and manifest bodies for everyone and
// other documents only for ADHOC_OPERATION_ROLES; nothing registers a document; the real clients send ids.
import { readFileSync } from 'node:fs';
import { gql } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApolloClient } from '../../docs/samples/apollo-client.js';
import type { PersistedQueryManifest } from '../../docs/samples/trusted-documents.js';
import { createUrqlClient } from '../../docs/samples/urql.js';
import { parseConfig } from '../../src/config/env.js';
import {
  buildManifest,
  MANIFEST_FILE,
  manifestText,
  sha256,
  TrustedDocumentGate,
  TrustedDocuments,
  trustedDocuments,
} from '../../src/server/trusted-documents.js';
import { SIGN_IN_OPERATIONS } from '../../src/server/ide/browser/sign-in.operations.js';
import { contractOperation, contractOperations, contractSource, persistedOperation } from '../support/contract.js';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const manifest = JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as PersistedQueryManifest;
const AD_HOC_ME = 'query { me { id name } }';

type Answer = { status: number; statements: number; data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };

async function post(server: TestServer, body: Record<string, unknown>, token?: string): Promise<Answer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { ...((await response.json()) as object), status: response.status, statements: Number(response.headers.get('x-sql-statements')) };
}

async function get(server: TestServer, params: Record<string, string>, token?: string): Promise<Answer> {
  const response = await fetch(`${server.url}?${new URLSearchParams(params).toString()}`, {
    headers: { 'apollo-require-preflight': 'true', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { ...((await response.json()) as object), status: response.status, statements: Number(response.headers.get('x-sql-statements')) };
}

const byId = (name: string, variables: Record<string, unknown> = {}) => ({
  operationName: name,
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: persistedOperation(name).id } },
});

/** What the clients put on the wire while `work` runs: method, whether a query text and an id went. */
async function sent<T>(work: () => Promise<T>): Promise<{ result: T; requests: { method: string; query: boolean; id: boolean }[] }> {
  const requests: { method: string; query: boolean; id: boolean }[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    const body =
      method === 'POST'
        ? JSON.parse(init?.body as string)
        : { query: url.searchParams.get('query') ?? undefined, extensions: JSON.parse(url.searchParams.get('extensions') ?? '{}') };
    requests.push({ method, query: typeof body.query === 'string', id: typeof body.extensions?.persistedQuery?.sha256Hash === 'string' });
    return original(input, init);
  };
  try {
    return { result: await work(), requests };
  } finally {
    globalThis.fetch = original;
  }
}

const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code;

describe('the manifest', () => {
  it('is written from the contract and the IDE sign-in operations, in Apollo format, each id the SHA-256 of its body', () => {
    expect(readFileSync(MANIFEST_FILE, 'utf8')).toBe(manifestText(buildManifest({ contract: contractSource(), ide: Object.values(SIGN_IN_OPERATIONS) })));
    expect(manifest.format).toBe('apollo-persisted-query-manifest');
    expect(manifest.version).toBe(1);
    const contractNames = contractOperations().map((operation) => operation.name!.value);
    expect(contractNames).toHaveLength(36);
    expect(manifest.operations.map((operation) => operation.name)).toEqual([...contractNames, ...Object.keys(SIGN_IN_OPERATIONS)]);
    for (const operation of manifest.operations) expect(operation.id).toBe(sha256(operation.body));
    // As the frontends' caches send them: every selection set below the root asks for __typename.
    expect(persistedOperation('Me').body).toContain('__typename');
    expect(persistedOperation('IdeLogin').body).not.toContain('__typename');
  });

  it("refuses a manifest whose id is not its body's hash", () => {
    const [first] = manifest.operations;
    expect(() => new TrustedDocuments({ ...manifest, operations: [{ ...first, id: sha256('something else') }] })).toThrow(
      `persisted operation ${first.name}: its id is not the SHA-256 of its body`,
    );
  });

  it('is the production default; ADHOC_OPERATION_ROLES names real roles', () => {
    const base = { JWT_SECRET: 'q8Vh2kPz7LmX4tRw9NbC3yFd6GsJ1aUe5oKi0WvZ', DATABASE_URL: 'postgresql://localhost/db' };
    expect(parseConfig({ ...base, NODE_ENV: 'production' }).TRUSTED_DOCUMENTS).toBe('only');
    expect(parseConfig({ ...base, NODE_ENV: 'development' }).TRUSTED_DOCUMENTS).toBe('allow');
    expect(parseConfig({ ...base, NODE_ENV: 'production' }).ADHOC_OPERATION_ROLES).toEqual(['ADMIN', 'MARKETING_STAFF']);
    expect(parseConfig({ ...base, ADHOC_OPERATION_ROLES: 'none' }).ADHOC_OPERATION_ROLES).toEqual([]);
    expect(() => parseConfig({ ...base, ADHOC_OPERATION_ROLES: 'ADMIN,OWNER' })).toThrow('"OWNER" is not a role');
    expect(() => parseConfig({ ...base, TRUSTED_DOCUMENTS: 'some' })).toThrow('TRUSTED_DOCUMENTS');
  });
});

describe('TRUSTED_DOCUMENTS=only', () => {
  let server: TestServer;
  let customer: Awaited<ReturnType<typeof createSignedInUser>>;
  let admin: Awaited<ReturnType<typeof createSignedInUser>>;
  let marketing: Awaited<ReturnType<typeof createSignedInUser>>;
  let deliveryBoy: Awaited<ReturnType<typeof createSignedInUser>>;

  beforeAll(async () => {
    server = await startTestServer({ TRUSTED_DOCUMENTS: 'only' });
    customer = await createSignedInUser(server, ['CUSTOMER'], { name: 'Trusted Customer' });
    admin = await createSignedInUser(server, ['ADMIN']);
    marketing = await createSignedInUser(server, ['MARKETING_STAFF']);
    deliveryBoy = await createSignedInUser(server, ['DELIVERY_BOY']);
  });
  afterAll(async () => server?.close());

  it('runs a manifest id for a customer, by POST and by GET, with no body', async () => {
    const posted = await post(server, byId('Me'), customer.token);
    expect(posted.errors).toBeUndefined();
    expect(posted.data.me).toMatchObject({ id: customer.user.id, name: 'Trusted Customer', __typename: 'User' });
    const fetched = await get(server, { operationName: 'Me', extensions: JSON.stringify(byId('Me').extensions) }, customer.token);
    expect(fetched.errors).toBeUndefined();
    expect(fetched.data).toEqual(posted.data);
  });

  it('runs a manifest body sent in full, as it is or laid out otherwise', async () => {
    const body = persistedOperation('Me').body;
    expect((await post(server, { query: body }, customer.token)).data.me.id).toBe(customer.user.id);
    const relaidOut = `# the customer app's copy\n${body.replace(/\s+/g, ' ')}`;
    expect((await post(server, { query: relaidOut }, customer.token)).data.me.id).toBe(customer.user.id);
    // With its id, the body must be exactly the one hashed.
    expect((await post(server, { query: body, ...byId('Me') }, customer.token)).data.me.id).toBe(customer.user.id);
  });

  it("signs in anonymously by id (the contract's Login) and by the IDE's sign-in document", async () => {
    const byContract = await post(server, byId('Login', { identifier: customer.email, password: STRONG_PASSWORD }));
    expect(byContract.errors).toBeUndefined();
    expect(byContract.data.login.user).toMatchObject({ id: customer.user.id, __typename: 'User' });
    const byIde = await post(server, {
      query: SIGN_IN_OPERATIONS.IdeLogin,
      operationName: 'IdeLogin',
      variables: { identifier: admin.email, password: STRONG_PASSWORD },
    });
    expect(byIde.errors).toBeUndefined();
    expect(byIde.data.login.user.id).toBe(admin.user.id);
  });

  it('refuses any other document from anonymous callers, customers and delivery boys with TRUSTED_DOCUMENT_REQUIRED', async () => {
    const anonymous = await post(server, {
      query: 'mutation($i: String!, $p: String!) { login(identifier: $i, password: $p) { accessToken } }',
      variables: { i: customer.email, p: STRONG_PASSWORD },
    });
    expect(anonymous.status).toBe(400);
    expect(codeOf(anonymous)).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(anonymous.errors![0].message).toContain('extensions.persistedQuery.sha256Hash');
    for (const caller of [customer, deliveryBoy]) {
      const refused = await post(server, { query: AD_HOC_ME }, caller.token);
      expect(refused.status).toBe(400);
      expect(codeOf(refused)).toBe('TRUSTED_DOCUMENT_REQUIRED');
      expect(refused.data).toBeUndefined();
    }
    // The contract's text without the __typename fields the clients add is another document.
    const contractText = contractSource();
    expect(codeOf(await post(server, { query: contractText, operationName: 'Me' }, customer.token))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    // A trusted operation with another beside it is another document too.
    const padded = await post(server, { query: `${persistedOperation('Me').body}\nquery Other { me { id } }`, operationName: 'Me' }, customer.token);
    expect(codeOf(padded)).toBe('TRUSTED_DOCUMENT_REQUIRED');
    // By GET as well.
    expect(codeOf(await get(server, { query: AD_HOC_ME }, customer.token))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    // A token that does not check out is no staff session.
    expect(codeOf(await post(server, { query: AD_HOC_ME }, `${admin.token}x`))).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });

  it('lets anyone introspect while ALLOW_INTROSPECTION is on (the IDE loads the schema before sign-in), and nothing beside it', async () => {
    const schema = await post(server, { query: '{ __schema { queryType { name } } }' });
    expect(schema.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    expect(codeOf(await post(server, { query: '{ __schema { queryType { name } } me { id } }' }))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(codeOf(await post(server, { query: 'mutation { __typename }' }))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    // With introspection off, only a `{ __typename }` ping is open beside the manifest.
    const closed = new TrustedDocumentGate(trustedDocuments(), { mode: 'only', adhocRoles: ['ADMIN'], introspection: false });
    const refusalOf = (query: string) => {
      const resolved = closed.resolve({ query });
      return 'error' in resolved ? resolved.error.extensions.code : (closed.refusal(resolved, null)?.extensions.code ?? null);
    };
    expect(refusalOf('{ __schema { queryType { name } } }')).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(refusalOf('{ __typename }')).toBeNull();
    expect(refusalOf('{ __typename me { id } }')).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });

  it("runs any document for ADMIN and MARKETING_STAFF (the IDE's users)", async () => {
    for (const staff of [admin, marketing]) {
      const answer = await post(server, { query: AD_HOC_ME }, staff.token);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.me.id).toBe(staff.user.id);
    }
  });

  it('registers nothing: an unknown id is PERSISTED_QUERY_NOT_FOUND before and after its body was sent with it', async () => {
    const id = sha256(AD_HOC_ME);
    const unknown = await post(server, { extensions: { persistedQuery: { version: 1, sha256Hash: id } } }, customer.token);
    expect(unknown.status).toBe(200);
    const unknownByGet = await fetch(
      `${server.url}?${new URLSearchParams({ extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: id } }) }).toString()}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(unknownByGet.headers.get('cache-control')).toBe('no-store');
    expect(((await unknownByGet.json()) as Answer).errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(codeOf(unknown)).toBe('PERSISTED_QUERY_NOT_FOUND');
    // Automatic persisted queries' registration: refused for the customer, run (but not kept) for the admin.
    const registering = { query: AD_HOC_ME, extensions: { persistedQuery: { version: 1, sha256Hash: id } } };
    expect(codeOf(await post(server, registering, customer.token))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect((await post(server, registering, admin.token)).data.me.id).toBe(admin.user.id);
    for (const caller of [customer, admin]) {
      expect(codeOf(await post(server, { extensions: { persistedQuery: { version: 1, sha256Hash: id } } }, caller.token))).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });

  it('names what is wrong with a malformed persisted query', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { query: AD_HOC_ME, extensions: { persistedQuery: { version: 1, sha256Hash: persistedOperation('Me').id } } },
        'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it',
      ],
      [
        { extensions: { persistedQuery: { version: 2, sha256Hash: persistedOperation('Me').id } } },
        'extensions.persistedQuery.version: only version 1 is supported',
      ],
      [{ extensions: { persistedQuery: { version: 1, sha256Hash: 'ME' } } }, 'extensions.persistedQuery.sha256Hash must be 64 lower-case hex digits'],
      [{ extensions: { persistedQuery: 'Me' } }, 'extensions.persistedQuery must be an object: { version: 1, sha256Hash }'],
    ];
    for (const [body, message] of cases) {
      const answer = await post(server, body, customer.token);
      expect(answer.status).toBe(400);
      expect(answer.errors).toEqual([{ message, extensions: { code: 'BAD_REQUEST' } }]);
    }
    const badExtensions = await get(server, { operationName: 'Me', extensions: '{"persistedQuery":' }, customer.token);
    expect(badExtensions.status).toBe(400);
    expect(badExtensions.errors).toEqual([{ message: 'the `extensions` parameter is not valid JSON', extensions: { code: 'BAD_REQUEST' } }]);
  });

  it('counts each refusal in /metrics by its reason', async () => {
    const read = async () => {
      const text = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
      const value = (reason: string) =>
        Number(
          text
            .split('\n')
            .find((line) => line.startsWith(`bff_document_refusals_total{reason="${reason}"}`))!
            .split(' ')
            .at(-1),
        );
      return { untrusted: value('untrusted'), unknownId: value('unknown-id') };
    };
    const before = await read();
    await post(server, { query: AD_HOC_ME }, customer.token);
    await post(server, { query: AD_HOC_ME });
    await post(server, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('no such operation') } } });
    expect(await read()).toEqual({ untrusted: before.untrusted + 2, unknownId: before.unknownId + 1 });
  });

  it('Apollo Client sends ids (PersistedQueryLink with the manifest): a customer reads Me and places nothing ad hoc', async () => {
    const client = createApolloClient(server.url, async () => customer.token, manifest);
    // The app's code holds the contract's text; the link sends its id only.
    const { result: me, requests } = await sent(() => client.query({ query: gql(contractOperation('Me')), fetchPolicy: 'network-only' }));
    expect(requests).toEqual([{ method: 'POST', query: false, id: true }]);
    expect(me.error).toBeUndefined();
    expect((me.data as any).me).toMatchObject({ id: customer.user.id, name: 'Trusted Customer' });
    // An operation the manifest lacks is the app's mistake, caught before anything is sent.
    const unknown = await client.query({ query: gql('query NotInTheManifest { me { id } }'), fetchPolicy: 'network-only' }).catch((error: Error) => error);
    expect(String((unknown as any).error ?? unknown)).toContain('operation NotInTheManifest is not in the persisted-query manifest');
  });

  it('urql sends ids (persistedExchange with the manifest), queries by GET and mutations by POST', async () => {
    let token: string | null = null;
    const client = createUrqlClient(server.url, () => token, manifest);
    const signIn = await sent(() => client.mutation(contractOperation('Login'), { identifier: customer.email, password: STRONG_PASSWORD }).toPromise());
    expect(signIn.requests).toEqual([{ method: 'POST', query: false, id: true }]);
    const signedIn = signIn.result;
    expect(signedIn.error).toBeUndefined();
    token = signedIn.data.login.accessToken;
    const { result: me, requests } = await sent(() => client.query(contractOperation('Me'), {}, { requestPolicy: 'network-only' }).toPromise());
    expect(requests).toEqual([{ method: 'GET', query: false, id: true }]);
    expect(me.error).toBeUndefined();
    expect(me.data.me.id).toBe(customer.user.id);
  });
});

describe('TRUSTED_DOCUMENTS=allow (the default outside production)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('runs any document for anyone, and manifest ids too', async () => {
    const customer = await createSignedInUser(server, ['CUSTOMER']);
    expect((await post(server, { query: AD_HOC_ME }, customer.token)).data.me.id).toBe(customer.user.id);
    expect((await post(server, byId('Me'), customer.token)).data.me.id).toBe(customer.user.id);
    const registered = await post(server, {
      query: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
      variables: { input: { name: 'Ad Hoc', password: STRONG_PASSWORD, email: uniqueEmail('adhoc') } },
    });
    expect(registered.errors).toBeUndefined();
  });
});
