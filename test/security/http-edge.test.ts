// The HTTP edge as clients meet it: refusals of the request itself answer BAD_REQUEST and say what to
// send (CSRF, malformed JSON, batches, too large, no query, a mutation over GET), while a wrong document
// stays BAD_USER_INPUT; CORS preflights and answers for the origins in CORS_ORIGINS only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { isAllowedOrigin } from '../../src/server/cross-origin.js';
import { STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { send } from './http.helpers.js';

const APP_ORIGIN = 'https://app.example.in';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CORS_ORIGINS: `${APP_ORIGIN}, http://127.0.0.1:*` });
});
afterAll(async () => server?.close());

const CSRF_MESSAGE = 'request blocked by CSRF prevention: send the header `content-type: application/json` (POST) or `apollo-require-preflight: true` (GET)';
const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => send(server.url, { method: 'POST', headers, body });

describe('requests refused before any operation runs', () => {
  it('answers a GET without a preflight header with BAD_REQUEST naming what to send', async () => {
    // urql's default: a short query over GET, with no content type.
    const query = new URLSearchParams({ query: `query MyRoute { me { id } }`, operationName: 'MyRoute' });
    const answer = await send(`${server.url}?${query.toString()}`, { headers: { accept: 'application/graphql-response+json, application/json' } });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errors: [{ message: CSRF_MESSAGE, extensions: { code: 'BAD_REQUEST' } }] });
    const withHeader = await send(`${server.url}?${query.toString()}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(withHeader.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers simple POSTs (forms, text/plain, no content type) with BAD_REQUEST and runs nothing', async () => {
    const email = uniqueEmail('edge-csrf');
    const body = JSON.stringify({
      query: `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`,
      variables: { input: { name: 'Csrf', password: STRONG_PASSWORD, email } },
    });
    const simpleHeaders: Record<string, string>[] = [
      { 'content-type': 'text/plain;charset=UTF-8' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      {},
    ];
    for (const headers of simpleHeaders) {
      const answer = await send(server.url, { method: 'POST', headers, body: new TextEncoder().encode(body) });
      expect(answer.status, JSON.stringify(headers)).toBe(400);
      expect(answer.json, JSON.stringify(headers)).toEqual({ errors: [{ message: CSRF_MESSAGE, extensions: { code: 'BAD_REQUEST' } }] });
    }
    expect(await server.database.prisma.user.count({ where: { email } })).toBe(0);
  });

  it('answers malformed JSON, a batch, a body too large and a missing query with BAD_REQUEST', async () => {
    const refusals = {
      malformed: await post('{"query": '),
      batch: await post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }])),
      tooLarge: await post(JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(101 * 1024) } })),
      noQuery: await post('{}'),
      notJson: await post('{ __typename }', { 'content-type': 'application/graphql' }),
    };
    const seen = Object.fromEntries(
      Object.entries(refusals).map(([name, answer]) => [
        name,
        { status: answer.status, code: answer.json.errors[0].extensions.code, message: answer.json.errors[0].message },
      ]),
    );
    expect(seen).toEqual({
      malformed: { status: 400, code: 'BAD_REQUEST', message: 'request body is not valid JSON' },
      batch: { status: 400, code: 'BAD_REQUEST', message: 'batched requests are not accepted: send one operation per request' },
      tooLarge: { status: 413, code: 'BAD_REQUEST', message: 'request body too large' },
      noQuery: { status: 400, code: 'BAD_REQUEST', message: seen.noQuery.message },
      notJson: { status: 400, code: 'BAD_REQUEST', message: seen.notJson.message },
    });
  });

  it('answers a mutation over GET with 405 BAD_REQUEST', async () => {
    const query = new URLSearchParams({ query: `mutation { logoutAll }` });
    const answer = await send(`${server.url}?${query.toString()}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(answer.status).toBe(405);
    expect(answer.json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('keeps BAD_USER_INPUT for a document or variables that are wrong', async () => {
    expect((await post(JSON.stringify({ query: '{ me { ' }))).json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await post(JSON.stringify({ query: '{ noSuchField }' }))).json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const wrongVariable = await post(
      JSON.stringify({ query: 'mutation($phone: String!) { requestOtp(phone: $phone) { expiresAt } }', variables: { phone: 12 } }),
    );
    expect(wrongVariable.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('CORS', () => {
  const preflight = (origin: string, headers = 'content-type, authorization') =>
    send(server.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });

  it('answers the preflight of an allowed origin with the methods and headers a client sends', async () => {
    const answer = await preflight(APP_ORIGIN);
    expect(answer.status).toBe(204);
    expect(Object.fromEntries([...answer.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary' || name === 'allow'))).toEqual({
      'access-control-allow-origin': APP_ORIGIN,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers':
        'content-type, authorization, apollo-require-preflight, x-request-id, idempotency-key, x-client-name, x-client-version, x-device-id',
      'access-control-expose-headers': 'x-request-id',
      'access-control-max-age': '600',
      allow: 'GET, POST, OPTIONS',
      vary: 'Origin',
    });
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.text).toBe('');
  });

  it('admits any port of a host given with :*, and nothing else', async () => {
    expect((await preflight('http://127.0.0.1:5173')).headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    for (const origin of [
      'https://evil.example',
      'https://app.example.in.evil.example',
      'http://app.example.in',
      'https://127.0.0.1:5173',
      'http://127.0.0.1:5173.evil.example',
      'null',
    ]) {
      const answer = await preflight(origin);
      expect(answer.status, origin).toBe(204);
      expect(answer.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(answer.headers.get('access-control-allow-methods'), origin).toBeNull();
      expect(answer.headers.get('vary'), origin).toBe('Origin');
    }
  });

  it('adds the allowed origin to answers and refusals, never credentials', async () => {
    const answer = await send(server.url, {
      method: 'POST',
      headers: { origin: APP_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.json).toEqual({ data: { __typename: 'Query' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(answer.headers.get('vary')).toBe('Origin');
    const refused = await send(server.url, { method: 'POST', headers: { origin: APP_ORIGIN, 'content-type': 'application/json' }, body: '{' });
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const other = await send(server.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS', () => {
  const base = { JWT_SECRET: 'a-production-secret-of-at-least-32-bytes-Zq8', NODE_ENV: 'production' };

  it('defaults to no origin in production and any localhost port elsewhere', () => {
    expect(parseConfig(base).CORS_ORIGINS).toEqual([]);
    expect(parseConfig({ NODE_ENV: 'development' }).CORS_ORIGINS).toEqual(['http://localhost:*']);
    expect(parseConfig({ NODE_ENV: 'development', CORS_ORIGINS: '' }).CORS_ORIGINS).toEqual([]);
    expect(isAllowedOrigin(['http://localhost:*'], 'http://localhost:5173')).toBe(true);
    expect(isAllowedOrigin(['http://localhost:*'], 'http://localhost')).toBe(true);
    expect(isAllowedOrigin(['http://localhost:*'], 'http://localhost.evil.example')).toBe(false);
    expect(isAllowedOrigin(['http://localhost:*'], 'http://localhost:5173@evil.example')).toBe(false);
  });

  it('takes exact origins, comma-separated', () => {
    expect(parseConfig({ ...base, CORS_ORIGINS: 'https://app.example.in, https://portal.example.in:8443' }).CORS_ORIGINS).toEqual([
      'https://app.example.in',
      'https://portal.example.in:8443',
    ]);
  });

  it('names each entry that is not an origin', () => {
    for (const entry of [
      'https://app.example.in/',
      'app.example.in',
      '*',
      'https://*.example.in',
      'ftp://files.example.in',
      'https://App.example.in',
      'https://app.example.in/path',
    ]) {
      expect(() => parseConfig({ ...base, CORS_ORIGINS: `https://ok.example.in,${entry}` }), entry).toThrow(
        `CORS_ORIGINS: "${entry}" is not an origin: give scheme://host[:port] (http or https, lower case, no path or trailing slash), or scheme://host:* for any port, comma-separated`,
      );
    }
  });
});
