// What the IDE leaves behind in a real browser (Debian's headless Chromium): a session's tabs, answers
// and history end with it, and no token, refresh token, OTP code or password reaches localStorage,
// sessionStorage, IndexedDB, cookies or the console, even after operations that carry them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSignedInUser, uniquePhone } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  BROWSER_STEP_MS,
  BROWSER_TEST_MS,
  CHROMIUM,
  editorValue,
  launchChromium,
  QUERY_EDITOR,
  RESPONSE,
  runActiveTab,
  SCREENSHOTS,
  setEditorValue,
  setQuery,
  signIn,
  signOut,
  tabTitles,
  VARIABLES_EDITOR,
} from './ide.helpers.js';

const SECRET_FIELDS = new Set(['accessToken', 'refreshToken', 'password', 'code']);
// GraphiQL's theme and pane sizes: the only keys the IDE lets into localStorage.
const PREFERENCE_KEYS = /^graphiql:(theme|editorFlex|docExplorerFlex|secondaryEditorFlex)$/;

let server: TestServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof createSignedInUser>>;
let supplier: Awaited<ReturnType<typeof createSignedInUser>>;
let customer: Awaited<ReturnType<typeof createSignedInUser>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createSignedInUser(server, ['ADMIN'], { name: 'Asha Admin' });
  supplier = await createSignedInUser(server, ['SUPPLIER'], { name: 'Gokul' });
  customer = await createSignedInUser(server, ['CUSTOMER'], { name: 'Chandra Customer', phone: uniquePhone() });
  if (existsSync(CHROMIUM)) browser = await launchChromium();
}, BROWSER_TEST_MS);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Every value of a secret-named member anywhere in a JSON value. */
function collectSecrets(value: unknown, into: Set<string>) {
  if (Array.isArray(value)) value.forEach((item) => collectSecrets(item, into));
  else if (value && typeof value === 'object') {
    for (const [name, inner] of Object.entries(value)) {
      if (SECRET_FIELDS.has(name) && typeof inner === 'string' && inner.length > 0) into.add(inner);
      else collectSecrets(inner, into);
    }
  }
}

/** Everything the page's origin has stored, as text: both Web Storages, every IndexedDB database, cookies. */
async function browserStorage(page: Page) {
  const inPage = await page.evaluate(async () => {
    const window = globalThis as any;
    const dump = (storage: any) =>
      Object.fromEntries(Array.from({ length: storage.length }, (_, index) => storage.key(index)).map((key) => [key, storage.getItem(key)]));
    const databases: Record<string, Record<string, unknown[]>> = {};
    for (const { name } of await window.indexedDB.databases()) {
      const database: any = await new Promise((resolve, reject) => {
        const request = window.indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(new Error(`the IndexedDB request failed: ${String(request.error)}`));
      });
      databases[name] = {};
      for (const store of Array.from<string>(database.objectStoreNames)) {
        databases[name][store] = await new Promise((resolve, reject) => {
          const request = database.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(new Error(`the IndexedDB request failed: ${String(request.error)}`));
        });
      }
      database.close();
    }
    return {
      localStorage: dump(window.localStorage),
      sessionStorage: dump(window.sessionStorage),
      indexedDB: databases,
      documentCookie: window.document.cookie as string,
    };
  });
  return { ...inPage, contextCookies: await page.context().cookies() };
}

/** The secrets that occur in `text` as whole words (a 6-digit code inside a longer number does not count). */
function secretsIn(text: string, secrets: Iterable<string>): string[] {
  const escape = (secret: string) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...secrets].filter((secret) => new RegExp(`(?<![\\w-])${escape(secret)}(?![\\w-])`).test(text));
}

describe.runIf(existsSync(CHROMIUM))('what the GraphQL IDE keeps in a browser', { timeout: BROWSER_TEST_MS }, () => {
  let page: Page;
  const secrets = new Set<string>();
  const consoleLines: string[] = [];
  const reading: Promise<void>[] = [];

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(BROWSER_STEP_MS);
    // Every credential that crosses the wire, both ways: what the page must never keep.
    page.on('request', (request) => {
      if (request.method() === 'POST') collectSecrets(request.postDataJSON(), secrets);
    });
    page.on('response', (response) => {
      if (response.request().method() !== 'POST' || !response.url().endsWith('/graphql')) return;
      reading.push(
        response.json().then(
          (body) => collectSecrets(body, secrets),
          () => undefined,
        ),
      );
    });
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(server.url, { waitUntil: 'load' });
    await page.locator('.graphiql-tab').first().waitFor();
  }, BROWSER_TEST_MS);

  // Each story starts signed out, whatever the one before it left.
  beforeEach(async () => {
    if ((await page.getByTestId('signed-in-as').count()) > 0) await signOut(page);
  });

  it("forgets the supplier's tab, answer and history when the supplier signs out", async () => {
    await signIn(page, supplier.email, supplier.password);
    await page.click('.graphiql-tab-add');
    await setQuery(page, 'query SupplierSelf { me { supplier { businessName } } }', 'SupplierSelf');
    const answer = await runActiveTab(page);
    expect(answer.errors).toBeUndefined();
    expect(answer.data.me.supplier.businessName).toBe('Gokul Dairy');
    expect(await tabTitles(page)).toEqual(['ActivationDashboard', 'Me', 'SupplierSelf']);
    await page.click('[aria-label="Show History"]');
    expect(await page.locator('.graphiql-history-item').allInnerTexts()).toEqual(['SupplierSelf']);
    await page.click('[aria-label="Hide History"]');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-supplier-tab.png') });

    await signOut(page);
    expect(await tabTitles(page)).toEqual(['ActivationDashboard', 'Me']);
    expect(await editorValue(page, RESPONSE)).toBe('');

    await signIn(page, customer.email, customer.password);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Signed in as Chandra Customer (CUSTOMER)');
    expect(await tabTitles(page)).toEqual(['ActivationDashboard', 'Me']);
    expect(await editorValue(page, RESPONSE)).toBe('');
    expect(await editorValue(page, QUERY_EDITOR)).toMatch(/^query ActivationDashboard\(/);
    expect(await page.content()).not.toContain('Gokul Dairy');
    await page.click('[aria-label="Show History"]');
    expect(await page.locator('.graphiql-history-item').count()).toBe(0);
    await page.click('[aria-label="Hide History"]');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-customer-after-supplier.png') });
    await signOut(page);
  });

  it("forgets the admin's dashboard in the funnel panel at sign-out", async () => {
    await signIn(page, admin.email, admin.password);
    expect((await runActiveTab(page)).errors).toBeUndefined();
    await page.click('[aria-label="Show Activation funnel"]');
    await page.getByTestId('funnel').waitFor();
    await signOut(page);
    await page.click('[aria-label="Show Activation funnel"]');
    await page.getByTestId('funnel-empty').waitFor();
    expect(await page.getByTestId('funnel').count()).toBe(0);
    await page.click('[aria-label="Hide Activation funnel"]');
  });

  it('keeps no token, refresh token, OTP code or password in any browser storage, nor in the console', async () => {
    const earlier = new Set(secrets);
    await signIn(page, admin.email, admin.password);
    await runActiveTab(page);
    // Operations typed in the IDE that carry credentials in their variables and answers.
    await page.click('.graphiql-tab-add');
    await setQuery(
      page,
      'mutation ProbeLogin($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { accessToken refreshToken } }',
      'ProbeLogin',
    );
    await setEditorValue(page, VARIABLES_EDITOR, JSON.stringify({ identifier: customer.email, password: customer.password }));
    const login = await runActiveTab(page);
    expect(login.errors).toBeUndefined();
    expect(typeof login.data.login.accessToken).toBe('string');
    await setQuery(page, 'mutation ProbeOtp($phone: String!) { requestOtp(phone: $phone) { expiresAt } }', 'ProbeOtp');
    await setEditorValue(page, VARIABLES_EDITOR, JSON.stringify({ phone: customer.user.phone }));
    expect((await runActiveTab(page)).errors).toBeUndefined();
    const outbox = await server.database.prisma.outboxMessage.findFirstOrThrow({
      where: { to: customer.user.phone!, template: 'OTP' },
      orderBy: { createdAt: 'desc' },
    });
    const code = (outbox.variables as { code: string }).code;
    await setQuery(
      page,
      'mutation ProbeVerify($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { accessToken refreshToken } }',
      'ProbeVerify',
    );
    await setEditorValue(page, VARIABLES_EDITOR, JSON.stringify({ phone: customer.user.phone, code }));
    const verified = await runActiveTab(page);
    expect(verified.errors).toBeUndefined();
    expect(typeof verified.data.verifyOtp.refreshToken).toBe('string');
    // Let GraphiQL's debounced writes (500 ms for the tabs) land before looking.
    await page.waitForTimeout(1_000);
    await Promise.all(reading);

    const whileSignedIn = await browserStorage(page);
    expect(secretsIn(JSON.stringify(whileSignedIn), secrets)).toEqual([]);
    expect(Object.keys(whileSignedIn.localStorage).filter((key) => !PREFERENCE_KEYS.test(key))).toEqual([]);

    await signOut(page);
    await page.waitForTimeout(1_000);
    await Promise.all(reading);
    const afterSignOut = await browserStorage(page);
    expect(secretsIn(JSON.stringify(afterSignOut), secrets)).toEqual([]);
    expect(Object.keys(afterSignOut.localStorage).filter((key) => !PREFERENCE_KEYS.test(key))).toEqual([]);
    expect(afterSignOut.sessionStorage).toEqual({});
    expect(afterSignOut.documentCookie).toBe('');
    expect(afterSignOut.contextCookies).toEqual([]);
    expect(secretsIn(consoleLines.join('\n'), secrets)).toEqual([]);
    // What was looked for: the password (the same for every test user) and, from this story, an access
    // and a refresh token from the IDE's sign-in and from each typed sign-in, and the OTP code. Tokens are
    // refreshed only when due, whatever the browser's clock says: no more of them.
    expect(secrets.has(customer.password)).toBe(true);
    const fresh = [...secrets].filter((secret) => !earlier.has(secret) && secret !== customer.password);
    expect(fresh.length).toBe(3 * 2 + 1);
    expect(fresh).toContain(code);
  });
});
