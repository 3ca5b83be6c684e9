// The IDE's second-factor steps in headless Chromium, with the production default MFA_REQUIRED_ROLES=ADMIN:
// an admin without a factor enrols an authenticator app from the QR step (the code computed from the key
// the page shows), then signs in with an app code and with a recovery code; another admin registers a
// passkey with Chromium's virtual authenticator (DevTools protocol WebAuthn.addVirtualAuthenticator) and
// signs in with it. The page is opened on localhost, the passkeys' relying party outside production.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../support/testkit/index.js';
import { MFA_ADMIN, totpCode } from '../support/second-factor.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  addVirtualAuthenticator,
  BROWSER_STEP_MS,
  BROWSER_TEST_MS,
  CHROMIUM,
  launchChromium,
  runActiveTab,
  SCREENSHOTS,
  signOut,
  submitPassword,
} from './ide.helpers.js';

let server: TestServer;
let browser: Browser;
let appAdmin: Awaited<ReturnType<typeof createSignedInUser>>;
let passkeyAdmin: Awaited<ReturnType<typeof createSignedInUser>>;

beforeAll(async () => {
  // And the production default TRUSTED_DOCUMENTS=only: the IDE signs in with its trusted sign-in operations.
  server = await startTestServer({ ...MFA_ADMIN, TRUSTED_DOCUMENTS: 'only' });
  appAdmin = await createSignedInUser(server, ['ADMIN'], { name: 'Anil App' });
  passkeyAdmin = await createSignedInUser(server, ['ADMIN'], { name: 'Priya Passkey' });
  if (existsSync(CHROMIUM)) browser = await launchChromium();
}, BROWSER_TEST_MS);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const problems = (page: Page) => page.locator('.ide-problem').allTextContents();

describe.runIf(existsSync(CHROMIUM))("the IDE's second factor in a browser", { timeout: BROWSER_TEST_MS }, () => {
  let page: Page;
  const foreign: string[] = [];
  let recoveryCodes: string[] = [];
  let appSecret = '';
  const origin = () => server.url.replace('/graphql', '').replace('127.0.0.1', 'localhost');

  beforeAll(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(BROWSER_STEP_MS);
    page.on('request', (request) => {
      if (!request.url().startsWith(origin())) foreign.push(request.url());
    });
    await addVirtualAuthenticator(page);
    await page.goto(`${origin()}/graphql`, { waitUntil: 'load' });
  }, BROWSER_TEST_MS);

  it('holds an admin without a second factor to enrolment, and enrols an authenticator app from its QR code', async () => {
    await submitPassword(page, appAdmin.email, appAdmin.password);
    const panel = page.getByTestId('enrol-second-factor');
    await panel.waitFor();
    // Until enrolled, the admin's operations answer with the enrolment code.
    const refused = await runActiveTab(page);
    expect(refused.errors.map((error: any) => error.extensions.code)).toEqual(['SECOND_FACTOR_ENROLMENT_REQUIRED']);

    await page.click('text=Set up an authenticator app');
    const qrCode = page.getByTestId('totp-qr');
    await qrCode.waitFor();
    expect(await qrCode.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    appSecret = (await page.getByTestId('totp-secret').textContent())!.trim();
    const secret = appSecret;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-totp-enrolment.png') });
    await page.fill('input[name="totp-code"]', totpCode(secret, server.clock.now()));
    await page.click('text=Confirm');
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    recoveryCodes = (await codes.allTextContents()).map((code) => code.trim());
    expect(recoveryCodes).toHaveLength(10);
    await page.click('text=I have saved them');
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Signed in as Anil App (ADMIN)');
    const result = await runActiveTab(page);
    expect(result.errors).toBeUndefined();
    expect(result.data.activationDashboard.totalCustomers).toBe(0);
    await signOut(page);
  });

  it("asks for the second factor after the password: a wrong code says so, the app's code and a recovery code sign in", async () => {
    const secret = appSecret;
    // The enrolment's code is spent: the next one belongs to the next 30-second step.
    server.clock.advance(30_000);
    await submitPassword(page, appAdmin.email, appAdmin.password);
    const form = page.getByTestId('second-factor');
    await form.waitFor();
    expect(await form.locator('text=Use a passkey').count()).toBe(0);
    const right = totpCode(secret, server.clock.now());
    await page.fill('input[name="second-factor-code"]', right === '123456' ? '654321' : '123456');
    await page.click('text=Verify');
    await page.locator('.ide-problem').waitFor();
    expect(await problems(page)).toEqual(['the code is wrong, already used or expired']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-second-factor-challenge.png') });
    await page.fill('input[name="second-factor-code"]', right);
    await page.click('text=Verify');
    await page.getByTestId('signed-in-as').waitFor();
    expect((await runActiveTab(page)).errors).toBeUndefined();
    await signOut(page);

    await submitPassword(page, appAdmin.email, appAdmin.password);
    await page.fill('input[name="second-factor-code"]', recoveryCodes[0]);
    await page.click('text=Verify');
    await page.getByTestId('signed-in-as').waitFor();
    expect(await server.database.prisma.recoveryCode.count({ where: { userId: appAdmin.user.id, usedAt: { not: null } } })).toBe(1);
    await signOut(page);
  });

  it('registers a passkey with the virtual authenticator, then signs in with it', async () => {
    await submitPassword(page, passkeyAdmin.email, passkeyAdmin.password);
    await page.getByTestId('enrol-second-factor').waitFor();
    await page.click('text=Register a passkey');
    await page.getByTestId('signed-in-as').waitFor();
    expect(await problems(page)).toEqual([]);
    const stored = await server.database.prisma.passkey.findMany({ where: { userId: passkeyAdmin.user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0].name).toBe('IDE passkey of Priya Passkey');
    expect(stored[0].lastUsedAt).toBeNull();
    expect((await runActiveTab(page)).errors).toBeUndefined();
    await signOut(page);

    await submitPassword(page, passkeyAdmin.email, passkeyAdmin.password);
    const form = page.getByTestId('second-factor');
    await form.waitFor();
    // No authenticator app: the passkey is the only way offered.
    expect(await form.locator('input[name="second-factor-code"]').count()).toBe(0);
    await page.click('text=Use a passkey');
    await page.getByTestId('signed-in-as').waitFor();
    expect(await page.getByTestId('signed-in-as').textContent()).toBe('Signed in as Priya Passkey (ADMIN)');
    const used = await server.database.prisma.passkey.findUniqueOrThrow({ where: { id: stored[0].id } });
    expect(used.lastUsedAt).toEqual(server.clock.now());
    expect((await runActiveTab(page)).errors).toBeUndefined();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ide-passkey-signed-in.png') });
    const audit = await server.database.prisma.auditLog.findMany({ where: { entityId: passkeyAdmin.user.id, action: 'second-factor.passkey-registered' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toEqual({
      before: { authenticatorApp: false, passkeys: 0 },
      after: { authenticatorApp: false, passkeys: 1, passkeyName: 'IDE passkey of Priya Passkey' },
    });
    expect(foreign).toEqual([]);
  });
});
