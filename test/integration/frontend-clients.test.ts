// docs/frontend.md's samples, run as a frontend would run them: the files under docs/samples/ (which the
// page shows verbatim, checked here) with the real client packages against the real server over HTTP.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gql } from '@apollo/client';
import { Client, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApolloClient } from '../../docs/samples/apollo-client.js';
import { actionFor, graphql } from '../../docs/samples/fetch.js';
import { createGraphQLRequestClient } from '../../docs/samples/graphql-request.js';
import { allUsersBackward, allUsersForward } from '../../docs/samples/paging.js';
import { Session, type Tokens, type TokenStore } from '../../docs/samples/session.js';
import { createUrqlClient } from '../../docs/samples/urql.js';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';
import { LogCapture } from '../security/http.helpers.js';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const SAMPLES = path.join(PROJECT_ROOT, 'docs', 'samples');
const ME = 'query Me { me { id name } }';

let server: TestServer;
const log = new LogCapture();
beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'info' }, undefined, { logDestination: log });
});
afterAll(async () => server?.close());
// The samples send no X-Forwarded-For, so every sign-in here counts against 127.0.0.1: each test starts
// after the 10-minute throttling window of the one before.
beforeEach(() => server.clock.advance(11 * 60_000));

/** A shared token store, as localStorage is for the tabs of one browser. */
function memoryStore(): TokenStore & { tokens: Tokens | null } {
  return {
    tokens: null,
    read() {
      return this.tokens;
    },
    write(tokens) {
      this.tokens = tokens;
    },
  };
}

describe('docs/frontend.md', () => {
  it('shows every sample file verbatim, and only those', () => {
    const page = readFileSync(path.join(PROJECT_ROOT, 'docs', 'frontend.md'), 'utf8');
    const shown = [...page.matchAll(/<!-- sample: docs\/samples\/([\w.-]+) -->\n```ts\n([\s\S]*?)```/g)];
    expect(shown.map((match) => match[1]).sort()).toEqual(readdirSync(SAMPLES).sort());
    for (const [, file, text] of shown) expect(text, file).toBe(readFileSync(path.join(SAMPLES, file), 'utf8'));
  });
});

describe('fetch', () => {
  it('signs in, reads Me, and maps each error code to what the app does', async () => {
    const customer = await createSignedInUser(server, ['CUSTOMER'], { name: 'Fetch Customer' });
    const admin = await createSignedInUser(server, ['ADMIN']);
    expect(await graphql(server.url, ME, {}, customer.token)).toEqual({ data: { me: { id: customer.user.id, name: 'Fetch Customer' } } });
    const firstError = async (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      (await graphql(server.url, query, variables, token)).errors![0];
    const register = 'mutation Register($input: RegisterInput!) { register(input: $input) { accessToken } }';
    const login = 'mutation Login($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { accessToken } }';
    expect(actionFor(await firstError(ME))).toEqual({ kind: 'refresh-and-retry' });
    expect(actionFor(await firstError('query Users { users(first: 1) { totalCount } }', {}, customer.token))).toEqual({ kind: 'show-not-allowed' });
    expect(actionFor(await firstError(register, { input: { name: 'Bad Phone', password: STRONG_PASSWORD, phone: 'not a phone' } }))).toMatchObject({
      kind: 'show-field-problem',
      field: 'input.phone',
    });
    expect(
      actionFor(
        await firstError(
          'mutation Delivered($orderId: ID!) { markOrderDelivered(orderId: $orderId) { id } }',
          { orderId: '01900000-0000-7000-8000-000000000000' },
          admin.token,
        ),
      ),
    ).toEqual({ kind: 'show-not-found' });
    expect(actionFor(await firstError(register, { input: { name: 'Again', password: STRONG_PASSWORD, email: customer.email } }))).toEqual({
      kind: 'show-conflict',
      message: 'already registered: sign in with OTP',
    });
    const target = await createSignedInUser(server, ['CUSTOMER']);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect(actionFor(await firstError(login, { identifier: target.email, password: 'not the password at all' }))).toEqual({ kind: 'show-wrong-credentials' });
    }
    const locked = actionFor(await firstError(login, { identifier: target.email, password: 'not the password at all' }));
    expect(locked).toEqual({ kind: 'retry-after', seconds: 15 * 60 });
    const refused = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: ME }) });
    expect(actionFor(((await refused.json()) as { errors: any[] }).errors[0])).toEqual({
      kind: 'fix-the-client',
      message: 'request blocked by CSRF prevention: send the header `content-type: application/json` (POST) or `apollo-require-preflight: true` (GET)',
    });
  });
});

describe('Apollo Client', () => {
  it("sends the token, and keeps data next to a masked field's FORBIDDEN with errorPolicy all", async () => {
    const store = memoryStore();
    const session = new Session(server.url, store);
    const marketing = await createSignedInUser(server, ['MARKETING_STAFF'], { name: 'Apollo Marketing' });
    const boy = await createSignedInUser(server, ['DELIVERY_BOY']);
    expect(await session.signIn(marketing.email, marketing.password)).toMatchObject({ name: 'Apollo Marketing', roles: ['MARKETING_STAFF'] });
    const client = createApolloClient(server.url, () => session.accessToken(server.clock.now().getTime()));
    const me = await client.query({ query: gql(ME) });
    expect(me.data).toEqual({ me: { __typename: 'User', id: marketing.user.id, name: 'Apollo Marketing' } });
    const lookup = await client.query({
      query: gql`
        query Lookup($identifier: String!) {
          lookupUser(identifier: $identifier) {
            id
            email
            deliveryBoy {
              id
              paymentFrequency
            }
          }
        }
      `,
      variables: { identifier: boy.email },
    });
    expect(lookup.data).toEqual({ lookupUser: { __typename: 'User', id: boy.user.id, email: boy.email, deliveryBoy: null } });
    const errors = (lookup.error as unknown as { errors: { path: string[]; extensions: { code: string } }[] }).errors;
    expect(errors.map((error) => [error.path.join('.'), error.extensions.code])).toEqual([['lookupUser.deliveryBoy.paymentFrequency', 'FORBIDDEN']]);
    client.stop();
  });
});

describe('urql', () => {
  it('sends short queries as GET with its default preference, admitted by the preflight header', async () => {
    const customer = await createSignedInUser(server, ['CUSTOMER'], { name: 'Urql Customer' });
    const client = createUrqlClient(server.url, () => customer.token);
    const before = log.lines.length;
    const result = await client.query('query UrqlMe { me { id name } }', {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ me: { id: customer.user.id, name: 'Urql Customer' } });
    const lines = log.lines
      .slice(before)
      .map((line) => JSON.parse(line))
      .filter((line) => line.msg === 'request');
    expect(lines.map((line) => [line.method, line.operationName, line.status])).toEqual([['GET', 'UrqlMe', 200]]);
    // The same client without the header: CSRF prevention refuses the GET, saying what to send.
    const bare = new Client({ url: server.url, exchanges: [fetchExchange], fetchOptions: { headers: { authorization: `Bearer ${customer.token}` } } });
    const refused = await bare.query('query UrqlMe { me { id name } }', {}).toPromise();
    expect(refused.error?.graphQLErrors.map((error) => [error.extensions.code, error.message])).toEqual([
      ['BAD_REQUEST', 'request blocked by CSRF prevention: send the header `content-type: application/json` (POST) or `apollo-require-preflight: true` (GET)'],
    ]);
  });
});

describe('graphql-request', () => {
  it('returns data and errors together with errorPolicy all', async () => {
    const marketing = await createSignedInUser(server, ['MARKETING_STAFF'], { name: 'Request Marketing' });
    const boy = await createSignedInUser(server, ['DELIVERY_BOY']);
    const client = createGraphQLRequestClient(server.url, () => marketing.token);
    expect(await client.request(ME)).toEqual({ me: { id: marketing.user.id, name: 'Request Marketing' } });
    const answer = await client.rawRequest<{ lookupUser: unknown }>(
      'query Lookup($identifier: String!) { lookupUser(identifier: $identifier) { id deliveryBoy { paymentFrequency } } }',
      { identifier: boy.email },
    );
    expect(answer.data).toEqual({ lookupUser: { id: boy.user.id, deliveryBoy: null } });
    expect(answer.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['lookupUser.deliveryBoy.paymentFrequency', 'FORBIDDEN']]);
  });
});

describe('sessions', () => {
  it('refreshes before expiry, and two tabs refreshing at once end with the same tokens (REFRESH_RACE)', async () => {
    const customer = await createSignedInUser(server, ['CUSTOMER']);
    const store = memoryStore();
    const firstTab = new Session(server.url, store);
    const secondTab = new Session(server.url, store);
    await firstTab.signIn(customer.email, customer.password);
    const signedIn = store.tokens!;
    expect(await firstTab.accessToken(server.clock.now().getTime())).toBe(signedIn.accessToken);
    // 14½ minutes on: under a minute left, so the token is refreshed first.
    server.clock.advance(14.5 * 60_000);
    // Both tabs present the same refresh token: the one answered second gets REFRESH_RACE (a plain reuse
    // would have revoked the session, and the store would be empty).
    const [first, second] = await Promise.all([firstTab.refresh(), secondTab.refresh()]);
    expect(first).not.toBeNull();
    expect(second).toEqual(first);
    expect(store.tokens).toEqual(first);
    expect(first!.refreshToken).not.toBe(signedIn.refreshToken);
    expect(await secondTab.accessToken(server.clock.now().getTime())).toBe(first!.accessToken);
    expect((await graphql(server.url, ME, {}, first!.accessToken)).data).toEqual({ me: { id: customer.user.id, name: customer.user.name } });
    // The session lives on: the next refresh rotates again.
    expect((await secondTab.refresh())?.refreshToken).not.toBe(first!.refreshToken);
  });
});

describe('paging', () => {
  it('pages forward through a connection with first/after', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    for (let index = 0; index < 5; index += 1) await createSignedInUser(server, ['CUSTOMER'], { email: uniqueEmail('paging') });
    const whole = await graphql<{ users: { totalCount: number; edges: { node: { id: string; name: string } }[] } }>(
      server.url,
      'query Users { users(first: 100) { totalCount edges { node { id name } } } }',
      {},
      admin.token,
    );
    const expected = whole.data!.users.edges.map((edge) => edge.node);
    expect(expected).toHaveLength(whole.data!.users.totalCount);
    expect(await allUsersForward(server.url, admin.token, 2)).toEqual(expected);
  });

  it('pages backward from the end with last/before', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const forward = await allUsersForward(server.url, admin.token, 3);
    expect(await allUsersBackward(server.url, admin.token, 2)).toEqual(forward);
  });
});
