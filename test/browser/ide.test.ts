// The admin's GraphQL IDE in a real browser (Debian's headless Chromium driven by playwright-core): sign in
// as an admin, run the preloaded ActivationDashboard tab over a known population and read the numbers
// GraphiQL shows, then the same numbers drawn by the funnel panel; the schema explorer shows the access
// rule; a customer gets FORBIDDEN. Screenshots go to IDE_SCREENSHOT_DIR (default: the system's temporary
// folder).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationStatus } from '../../src/generated/prisma/enums.js';
import { dashboardExampleVariables, IDE_OPERATIONS, MONEY_PARTS } from '../../src/server/ide/default-tabs.js';
import { createSignedInUser, uniquePhone } from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { BROWSER_STEP_MS, BROWSER_TEST_MS, CHROMIUM, editorValue, launchChromium, runActiveTab, SCREENSHOTS, signIn, VARIABLES_EDITOR } from './ide.helpers.js';

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
      data: {
        customerId: customerRow.id,
        status: 'DELIVERED',
        totalPaise: deliveredPaise,
        placedAt: now,
        deliveryDate: new Date('2026-05-07T00:00:00Z'),
        deliveredAt: now,
      },
    });
  }
}

/** The panel's text as numbers: "1,23,456" → 123456, "57.14%" → 0.5714, "₹1,000.50" → 100050 paise. */
const count = (text: string) => Number(text.replace(/,/g, ''));
const fraction = (text: string) => Math.round(Number(text.replace(/,/g, '').replace('%', '')) * 100) / 10_000;
const paise = (text: string) => Math.round(Number(text.replace(/[₹,]/g, '')) * 100);
const textOf = (locator: Locator) => locator.innerText().then((text) => text.trim());

beforeAll(async () => {
  server = await startTestServer();
  admin = await createSignedInUser(server, ['ADMIN'], { name: 'Asha Admin' });
  customer = await createSignedInUser(server, ['CUSTOMER'], { name: 'Chandra Customer' });
  // The factory's signup time is the database's; the dashboard tab's example cohort follows the server's clock.
  await server.database.prisma.customer.update({ where: { userId: customer.user.id }, data: { signupAt: server.clock.now() } });
  // With the signed-in customer: 3 NEW, 1 ONBOARDED, 4 ACTIVE, 2 INACTIVE.
  for (const status of ['NEW', 'NEW', 'ONBOARDED'] as const) await createCustomer(status);
  for (const paise of [10_000, 20_000, 30_000, 40_000]) await createCustomer('ACTIVE', paise);
  for (const paise of [5_000, 0]) await createCustomer('INACTIVE', paise);
  if (existsSync(CHROMIUM)) browser = await launchChromium();
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
    // The example cohort: the last twelve IST months of signups, as of the server's now.
    expect(JSON.parse((await editorValue(page, VARIABLES_EDITOR))!)).toEqual(dashboardExampleVariables(server.clock.now()));
    expect(dashboardExampleVariables(server.clock.now())).toEqual({
      asOf: '2026-06-15T12:00:00+05:30',
      signupFrom: '2025-07-01T00:00:00+05:30',
      signupTo: '2026-07-01T00:00:00+05:30',
    });

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

  it("draws that answer in the funnel panel, each figure the API's", async () => {
    await page.click('[aria-label="Show Activation funnel"]');
    const panel = page.getByTestId('funnel');
    await panel.waitFor();
    // The same operation with the same variables, over HTTP.
    const variables = JSON.parse((await editorValue(page, VARIABLES_EDITOR))!);
    const answer = await server.gql(`${IDE_OPERATIONS.ActivationDashboard}\n${MONEY_PARTS}`, variables, { token: admin.token });
    expect(answer.errors).toBeUndefined();
    const dashboard = answer.data.activationDashboard;

    expect(await textOf(panel.getByTestId('funnel-as-of'))).toBe('15 Jun 2026, 12:00 IST');
    expect(await textOf(panel.getByTestId('funnel-cohort'))).toBe('Signed up from 1 Jul 2025, 00:00 IST until 1 Jul 2026, 00:00 IST');
    expect(count(await textOf(panel.getByTestId('funnel-total')))).toBe(dashboard.totalCustomers);
    for (const status of ['new', 'onboarded', 'active', 'inactive'] as const) {
      const step = panel.getByTestId(`funnel-status-${status}`);
      expect(count(await textOf(step.getByTestId('count'))), status).toBe(dashboard[status]);
      expect(fraction(await textOf(step.getByTestId('share'))), status).toBe(Math.round((dashboard[status] / dashboard.totalCustomers) * 10_000) / 10_000);
      const revenue = await textOf(panel.getByTestId(`funnel-revenue-${status}`).getByTestId('value'));
      expect(revenue, status).toBe(dashboard.revenueByStatus[status].formatted);
      expect(paise(revenue), status).toBe(dashboard.revenueByStatus[status].paise);
    }
    const revenueTotal = Object.values<{ paise: number }>(dashboard.revenueByStatus).reduce((sum, money) => sum + money.paise, 0);
    expect(paise(await textOf(panel.getByTestId('funnel-revenue-total').getByTestId('value')))).toBe(revenueTotal);
    for (const rate of ['signupToFirstOrder', 'firstOrderToActive', 'activeRetention'] as const) {
      expect(fraction(await textOf(panel.getByTestId(`funnel-rate-${rate}`).getByTestId('value'))), rate).toBe(dashboard.conversionFunnel[rate]);
    }
    const months = panel.getByTestId('funnel-months').locator('tr[data-testid^="funnel-month-"]');
    expect(await months.count()).toBe(dashboard.bySignupMonth.length);
    for (const [index, month] of dashboard.bySignupMonth.entries()) {
      const row = months.nth(index);
      expect(await row.getAttribute('data-testid')).toBe(`funnel-month-${month.month}`);
      expect(count(await textOf(row.getByTestId('total'))), month.month).toBe(month.totalCustomers);
      for (const status of ['new', 'onboarded', 'active', 'inactive'] as const)
        expect(count(await textOf(row.getByTestId(status))), `${month.month} ${status}`).toBe(month[status]);
    }
    // The population of beforeAll, as the admin reads it.
    expect(await panel.locator('.funnel-rate dd').allInnerTexts()).toEqual(['70%', '57.14%', '66.67%']);
    expect(await panel.locator('[data-testid^="funnel-revenue-"] td').allInnerTexts()).toEqual(['₹0.00', '₹0.00', '₹1,000.00', '₹50.00', '₹1,050.00']);
    expect(await months.locator('th').allInnerTexts()).toEqual(['May 2026', 'Jun 2026']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-admin-funnel.png') });
    await page.click('[aria-label="Hide Activation funnel"]');
  });

  it('shows who may use each field in the schema explorer', async () => {
    await page.click('[aria-label="Show Documentation Explorer"]');
    await page
      .locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
      .first()
      .click();
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
