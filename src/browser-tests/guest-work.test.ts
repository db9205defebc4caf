import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import type { AppBrowser } from '../testing/browser/app-page.js';
import {
  PASSWORD,
  SAVED,
  SCREENS,
  fillCredentials,
  navigate,
  promptBox,
  see,
  seeSaveState,
  startAsGuest,
  submitLogin,
  submitRegistration,
  uniqueEmail,
  until,
} from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import { HttpClient } from '../testing/server-process.js';

// Issue 27 item 7: no guest loses work without choosing to. Log out explains and offers an
// account first; logging in to an existing account asks to add the guest's work or discard it.

async function guestWithAnswer(app: AppBrowser, answer: string): Promise<HttpClient> {
  const { page } = app;
  await page.goto(app.baseUrl + '/');
  await startAsGuest(page);
  await promptBox(page, '1.1').fill(answer);
  await seeSaveState(page, SAVED);
  return app.api();
}

async function accountWithAnswer(baseUrl: string, email: string, answer: string): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  assert.equal((await client.request('POST', '/api/auth/register', { email, password: PASSWORD })).status, 201);
  assert.equal((await client.request('PUT', '/api/ps101', { revision: 0, answers: { '1.1': answer } })).status, 200);
  return client;
}

async function logInFromGuestHeader(page: Page, email: string): Promise<void> {
  await page.getByRole('banner').getByRole('link', { name: 'log in', exact: true }).click();
  await fillCredentials(page, email, PASSWORD);
  await submitLogin(page);
}

describeInBrowser('the web app in Chromium: guest work is never thrown away silently', {}, (suite) => {
  it("a guest's Log out explains, does nothing without a choice, and offers an account first, which keeps the work", (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const answer = 'A guest answer worth keeping.';
      const guestApi = await guestWithAnswer(app, answer);
      await navigate(page, SCREENS.account);
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Log out of a guest session?' });
      await dialog.waitFor();
      await see(page, /nobody can reach a guest’s work again/);
      await app.checkScreen('guest-logout');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      assert.equal((await guestApi.request('GET', '/api/auth/me')).status, 200, 'nothing happened without a choice');

      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await dialog.getByRole('button', { name: 'Create an account first' }).click();
      const email = uniqueEmail('kept-guest');
      await fillCredentials(page, email, PASSWORD);
      await submitRegistration(page);
      await see(page, email);
      await navigate(page, SCREENS.workbook);
      assert.equal(await promptBox(page, '1.1').inputValue(), answer, 'the guest work is the account’s now');
    }));

  it("a guest's Log out and discard deletes the guest's work and leaves nothing on the browser", (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const answer = 'A guest answer to throw away.';
      const guestApi = await guestWithAnswer(app, answer);
      await navigate(page, SCREENS.account);
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Log out and discard my work' }).click();
      await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
      await until('the guest to be gone on the server', async () => (await guestApi.request('GET', '/api/auth/me')).status === 401);
      const stored = await page.evaluate(() => JSON.stringify({ ...(globalThis as unknown as { localStorage: Record<string, string> }).localStorage }));
      assert.ok(!stored.includes(answer), stored);
      assert.equal(await page.getByText(answer).count(), 0);
    }));

  it("a guest who logs in to an account is asked; adding keeps the account's answers and the guest's as a past run", (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const email = uniqueEmail('merge-into');
      const accountApi = await accountWithAnswer(app.baseUrl, email, 'The account’s own answer.');
      await guestWithAnswer(app, 'Written as a guest first.');
      await logInFromGuestHeader(page, email);
      const dialog = page.getByRole('dialog', { name: 'What about your guest work?' });
      await dialog.waitFor();
      await see(page, /1 workbook with answers/);
      await app.checkScreen('guest-login-choice');
      await dialog.getByRole('button', { name: 'Add it to my account' }).click();
      await see(page, email);
      await navigate(page, SCREENS.workbook);
      assert.equal(await promptBox(page, '1.1').inputValue(), 'The account’s own answer.');
      await page.getByRole('link', { name: /Started .*, 1 answer(?!s)/ }).click();
      await see(page, 'Written as a guest first.');
      const runs = (await accountApi.request('GET', '/api/ps101/runs')).body.runs as { archivedAt: string | null }[];
      assert.equal(runs.filter((run) => run.archivedAt !== null).length, 1);
    }));

  it('a guest who logs in to an account and discards leaves the account as it was', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const email = uniqueEmail('discard-into');
      const accountApi = await accountWithAnswer(app.baseUrl, email, 'Only the account’s answer.');
      const guestApi = await guestWithAnswer(app, 'A guest answer nobody wants.');
      await logInFromGuestHeader(page, email);
      await page.getByRole('dialog', { name: 'What about your guest work?' }).getByRole('button', { name: 'Discard my guest work' }).click();
      await see(page, email);
      await navigate(page, SCREENS.workbook);
      assert.equal(await promptBox(page, '1.1').inputValue(), 'Only the account’s answer.');
      const runs = (await accountApi.request('GET', '/api/ps101/runs')).body.runs as unknown[];
      assert.equal(runs.length, 1, 'no past run was added');
      assert.equal((await guestApi.request('GET', '/api/auth/me')).status, 401, 'the guest ended');
      assert.equal(await page.getByText('A guest answer nobody wants.').count(), 0);
    }));
});
