// Driving the IDE in Debian's headless Chromium (playwright-core): launching, signing in, reading and
// writing GraphiQL's editors. The functions given to `page.evaluate` run in the page, where `document`
// exists; this file is compiled without DOM types.
import os from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
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
export const SCREENSHOTS = process.env.IDE_SCREENSHOT_DIR ?? os.tmpdir();
// A browser beside the rest of the suite on a busy CI machine is slow: generous limits, still finite.
export const BROWSER_TEST_MS = 180_000;
export const BROWSER_STEP_MS = 90_000;

export const QUERY_EDITOR = '.graphiql-query-editor .CodeMirror';
export const VARIABLES_EDITOR = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
export const RESPONSE = '.result-window .CodeMirror';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

export async function signIn(page: Page, identifier: string, password: string) {
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  // A refused sign-in shows its reason instead: fail with it rather than with a time-out.
  await page.locator('[data-testid="signed-in-as"], .ide-problem').first().waitFor();
  const problems = await page.locator('.ide-problem').allTextContents();
  expect(problems).toEqual([]);
}

export async function signOut(page: Page) {
  await page.click('text=Sign out');
  await page.locator('input[name="identifier"]').waitFor();
}

/** A CodeMirror editor's whole text (it draws only the visible lines); null when there is none. */
export function editorValue(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((target) => (globalThis as any).document.querySelector(target)?.CodeMirror?.getValue() ?? null, selector);
}

export async function setEditorValue(page: Page, selector: string, value: string) {
  await page.evaluate(([target, text]) => (globalThis as any).document.querySelector(target).CodeMirror.setValue(text), [selector, value] as const);
}

/** Replaces the active tab's query, waiting until GraphiQL has read its operation name (it does so lazily). */
export async function setQuery(page: Page, query: string, operationName: string) {
  await setEditorValue(page, QUERY_EDITOR, query);
  await page.locator('.graphiql-tab-active .graphiql-tab-button', { hasText: new RegExp(`^${operationName}$`) }).waitFor();
}

/** Runs the active tab and returns the response GraphiQL shows, parsed. */
export async function runActiveTab(page: Page): Promise<any> {
  const readResult = (target: string) => (globalThis as any).document.querySelector(target)?.CodeMirror?.getValue() ?? '';
  await setEditorValue(page, RESPONSE, '');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(readResult, RESPONSE);
  return JSON.parse(await page.evaluate(readResult, RESPONSE));
}

export function tabTitles(page: Page): Promise<string[]> {
  return page.locator('.graphiql-tab .graphiql-tab-button').allTextContents();
}

/** Sends the sign-in form and waits for what comes next: the session, a second-factor step, or a problem. */
export async function submitPassword(page: Page, identifier: string, password: string) {
  await page.fill('input[name="identifier"]', identifier);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.locator('[data-testid="signed-in-as"], [data-testid="second-factor"], [data-testid="enrol-second-factor"], .ide-problem').first().waitFor();
}

/** Chromium's virtual authenticator (DevTools protocol): a platform passkey that always has the user present and verified. */
export async function addVirtualAuthenticator(page: Page): Promise<string> {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('WebAuthn.enable');
  const { authenticatorId } = await devtools.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return authenticatorId;
}
