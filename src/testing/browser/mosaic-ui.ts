import type { Locator, Page } from 'playwright-core';
import { promptText } from '../../ps101/flow.js';

// What a person does on Mosaic's screens, by role, label and visible text only, so the tests
// read like the issue and break when an accessible name disappears.

export const SAVED = 'Saved';
export const OFFLINE_MESSAGE = 'Offline — your changes are kept on this device and will be sent when you are back';
/** Beside each answer the server has not acknowledged yet. */
export const UNSENT_MARK = 'Not sent yet';
export const PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (tag: string) => `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;

/** Polls `check` until it returns a truthy value (returned) or the time is up (throws `what`). */
export async function until<T>(what: string, check: () => Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const byText = (page: Page, text: string | RegExp): Locator => page.getByText(text).first();

export async function see(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  await byText(page, text).waitFor({ state: 'visible', timeout });
}

export const stepHeading = (step: number) => `Step ${step} of 10`;

/** The labelled text area of a PS101 prompt, e.g. "2.1". */
export function promptBox(page: Page, key: string): Locator {
  const text = promptText(key);
  if (!text) throw new Error(`no PS101 prompt ${key}`);
  return page.getByLabel(text, { exact: true });
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits until the autosave state line reads exactly `state` ("Saved", the offline message…). */
export async function seeSaveState(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page
    .getByRole('status')
    .filter({ hasText: new RegExp(`^${escapeRegExp(state)}$`) })
    .waitFor({ state: 'visible', timeout });
}

/** Follows a link of the main navigation (names from SCREENS). */
export async function navigate(page: Page, link: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
}

export const SCREENS = {
  workbook: 'Workbook',
  chat: 'Coach',
  files: 'Files',
  matches: 'Job matches',
  resumes: 'Résumés',
  account: 'Account',
} as const;

export async function startAsGuest(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start without an account' }).click();
  await see(page, stepHeading(1));
}

export async function fillCredentials(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
}

export async function submitRegistration(page: Page): Promise<void> {
  await page.getByRole('main').getByRole('button', { name: 'Create account' }).click();
}

export async function submitLogin(page: Page): Promise<void> {
  await page.getByRole('main').getByRole('button', { name: 'Log in' }).click();
}

/** Logs out from the Account screen, then opens the log-in screen from the header. */
export async function logOut(page: Page): Promise<void> {
  await navigate(page, SCREENS.account);
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Email').waitFor();
}
