// The admin's GraphQL IDE in a real browser (Debian's headless Chromium driven by playwright-core): sign in
// as an admin, run the preloaded ActivationDashboard tab over a known population and read the numbers
// GraphiQL shows; the schema explorer shows the access rule; a customer gets FORBIDDEN.
// Screenshots go to IDE_SCREENSHOT_DIR (default: the system's temporary folder).
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationStatus } from '../../src/generated/prisma/enums.js';
import { createSignedInUser, uniquePhone } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = process.env.IDE_SCREENSHOT_DIR ?? os.tmpdir();
// A browser beside the rest of the suite on a busy CI machine is slow: generous limits, still finite.
const BROWSER_TEST_MS = 180_000;
const BROWSER_STEP_MS = 90_000;

let server: TestServer;
let browser: Browser;
let admin: Awaited<ReturnType<typeof createSignedInUser>>;
let customer: Awaited<ReturnType<typeof createSignedInUser>>;

/** A customer with the given status; all but NEW have ordered, ACTIVE and INACTIVE had `deliveredPaise` delivered. */
async function createCustomer(status: ActivationStatus, deliveredPaise = 0) {
  const prisma = server.database.prisma;
  const now = server.clock.now();
  const phone = uniquePhone();
  const user = await prisma.user.create({ data: { name: `IDE ${status}`, phone, roles: ['CUSTOMER'] } });
  const ordered = status !== 'NEW';
  const customerRow = await prisma.customer.create({
    data: {
      userId: user.id,
      name: user.name,
      phone,
      activationStatus: status,
      signupAt: new Date(now.getTime() - 40 * 86_400_000),
      firstOrderAt: ordered ? new Date(now.getTime() - 39 * 86_400_000) : null,
      firstDeliveryAt: status === 'ACTIVE' || status === 'INACTIVE' ? new Date(now.getTime() - 38 * 86_400_000) : null,
    },
  });
  if (deliveredPaise > 0) {
    await prisma.order.create({
      data: { customerId: customerRow.id, status: 'DELIVERED', totalPaise: deliveredPaise, placedAt: now, deliveryDate: new Date('2026-05-07T00:00:00Z'), deliveredAt: now },
    });
  }
}

async function signIn(page: Page, identifier: string, password: string) {
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  // A refused sign-in shows its reason instead: fail with it rather than with a time-out.
  await page.locator('[data-testid="signed-in-as"], .ide-problem').first().waitFor();
  const problems = await page.locator('.ide-problem').allTextContents();
  expect(problems).toEqual([]);
}

/** Runs the active tab and returns the response GraphiQL shows, parsed. */
async function runActiveTab(page: Page): Promise<any> {
  // CodeMirror draws only the visible lines; its own value is the whole response. (The functions run in
  // the page, where `document` exists; this file is compiled without DOM types.)
  const readResult = () => (globalThis as any).document.querySelector('.result-window .CodeMirror')?.CodeMirror?.getValue() ?? '';
  await page.evaluate(() => (globalThis as any).document.querySelector('.result-window .CodeMirror')?.CodeMirror?.setValue(''));
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(readResult);
  const text = await page.evaluate(readResult);
  return JSON.parse(text);
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await createSignedInUser(server, ['ADMIN'], { name: 'Asha Admin' });
  customer = await createSignedInUser(server, ['CUSTOMER'], { name: 'Chandra Customer' });
  // With the signed-in customer: 3 NEW, 1 ONBOARDED, 4 ACTIVE, 2 INACTIVE.
  for (const status of ['NEW', 'NEW', 'ONBOARDED'] as const) await createCustomer(status);
  for (const paise of [10_000, 20_000, 30_000, 40_000]) await createCustomer('ACTIVE', paise);
  for (const paise of [5_000, 0]) await createCustomer('INACTIVE', paise);
  if (existsSync(CHROMIUM)) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}, BROWSER_TEST_MS);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.runIf(existsSync(CHROMIUM))('the GraphQL IDE in a browser', { timeout: BROWSER_TEST_MS }, () => {
  // One page for the whole story (loading GraphiQL is the slow part): admin, then customer, then admin.
  let page: Page;
  const foreign: string[] = [];
  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(BROWSER_STEP_MS);
    // The page must work offline: any request that leaves the test server fails the test.
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url.replace('/graphql', ''))) foreign.push(request.url());
    });
    await page.goto(server.url, { waitUntil: 'load' });
  }, BROWSER_TEST_MS);

  it('lets an admin sign in and run the preloaded ActivationDashboard, showing the funnel', async () => {
    const tabs = page.locator('.graphiql-tab .graphiql-tab-button');
    await tabs.first().waitFor();
    expect(await tabs.allTextContents()).toEqual(['ActivationDashboard', 'Me']);
    await signIn(page, admin.email, admin.password);
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Signed in as Asha Admin (ADMIN)');

    const result = await runActiveTab(page);
    expect(result.errors).toBeUndefined();
    expect(result.data.activationDashboard).toMatchObject({
      totalCustomers: 10,
      new: 3,
      onboarded: 1,
      active: 4,
      inactive: 2,
      conversionFunnel: { signupToFirstOrder: 0.7, firstOrderToActive: 0.5714, activeRetention: 0.6667 },
      revenueByStatus: {
        new: { paise: 0, formatted: '₹0.00' },
        active: { paise: 100_000, formatted: '₹1,000.00' },
        inactive: { paise: 5_000, formatted: '₹50.00' },
      },
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-admin-dashboard.png') });
  });

  it('shows who may use each field in the schema explorer', async () => {
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await page.locator('a.graphiql-doc-explorer-field-name', { hasText: /^activationDashboard$/ }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Access: ADMIN', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-doc-explorer.png') });
    await page.click('[aria-label="Hide Documentation Explorer"]');
  });

  it('answers FORBIDDEN when a customer runs ActivationDashboard', async () => {
    await page.click('text=Sign out');
    await signIn(page, customer.email, customer.password);
    const result = await runActiveTab(page);
    expect(result.data).toBeNull();
    expect(result.errors.map((error: any) => error.extensions.code)).toEqual(['FORBIDDEN']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-customer-forbidden.png') });
  });

  it('refreshes the session when the access token is no longer accepted', async () => {
    await page.click('text=Sign out');
    await signIn(page, admin.email, admin.password);
    // Move the server's clock past the access token's 15 minutes: the next run must refresh, then succeed.
    server.clock.advance(16 * 60 * 1000);
    const result = await runActiveTab(page);
    expect(result.errors).toBeUndefined();
    expect(result.data.activationDashboard.totalCustomers).toBe(10);
    expect(foreign).toEqual([]);
  });
});
