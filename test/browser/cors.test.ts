// CORS in a real browser (Debian's headless Chromium driven by playwright-core): a page served from a second
// local HTTP server, on an origin listed in CORS_ORIGINS, posts JSON to the API (preflighted, with a bearer
// token) and reads the answer and its x-request-id; a page on an origin not listed cannot read anything,
// and its simple (non-preflighted) POST is refused by CSRF prevention without running.
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// A browser beside the rest of the suite on a busy machine is slow: generous limits, still finite.
const BROWSER_TEST_MS = 120_000;

/** A tiny web app: one empty HTML page on its own port, i.e. its own origin. */
async function startPageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>web app</title><p>web app</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface PageAnswer {
  status?: number;
  body?: any;
  requestId?: string | null;
  failure?: string;
}

/** Runs `fetch` inside the page, i.e. from the page's origin, as the web app's own code would. */
function fetchFromPage(page: Page, url: string, init: { headers: Record<string, string>; body: string; mode?: 'cors' | 'no-cors' }): Promise<PageAnswer> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, { method: 'POST', ...init });
        if (response.type === 'opaque') return { status: response.status, failure: 'opaque' };
        return { status: response.status, body: await response.json(), requestId: response.headers.get('x-request-id') };
      } catch (error) {
        return { failure: String(error) };
      }
    },
    { url, init },
  );
}

let allowedPage: Awaited<ReturnType<typeof startPageServer>>;
let otherPage: Awaited<ReturnType<typeof startPageServer>>;
let server: TestServer;
let browser: Browser | undefined;

beforeAll(async () => {
  allowedPage = await startPageServer();
  otherPage = await startPageServer();
  server = await startTestServer({ CORS_ORIGINS: allowedPage.origin });
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, timeout: BROWSER_TEST_MS });
}, BROWSER_TEST_MS);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await allowedPage?.close();
  await otherPage?.close();
});

describe.runIf(existsSync(CHROMIUM))('CORS in a browser', { timeout: BROWSER_TEST_MS }, () => {
  it('lets a page on an allowed origin post JSON with a bearer token and read the answer', async () => {
    const customer = await createSignedInUser(server, ['CUSTOMER'], { name: 'Cors Customer' });
    const page = await browser!.newPage();
    try {
      await page.goto(`${allowedPage.origin}/`);
      const answer = await fetchFromPage(page, server.url, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}`, 'x-request-id': 'cors-test-request-1' },
        body: JSON.stringify({ query: 'query Me { me { id name } }', operationName: 'Me' }),
      });
      expect(answer).toEqual({ status: 200, body: { data: { me: { id: customer.user.id, name: 'Cors Customer' } } }, requestId: 'cors-test-request-1' });
    } finally {
      await page.close();
    }
  });

  it('keeps the answer from a page on another origin, and runs none of its simple requests', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${otherPage.origin}/`);
      const email = uniqueEmail('cors-other');
      const register = JSON.stringify({
        query: 'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
        variables: { input: { name: 'Cross Site', password: STRONG_PASSWORD, email } },
      });
      const preflighted = await fetchFromPage(page, server.url, { headers: { 'content-type': 'application/json' }, body: register });
      expect(preflighted).toEqual({ failure: 'TypeError: Failed to fetch' });
      // What a cross-site form can send without a preflight: delivered, refused, and opaque to the page.
      const simple = await fetchFromPage(page, server.url, { headers: { 'content-type': 'text/plain' }, body: register, mode: 'no-cors' });
      expect(simple).toEqual({ status: 0, failure: 'opaque' });
      expect(await server.database.prisma.user.count({ where: { email } })).toBe(0);
    } finally {
      await page.close();
    }
  });
});
