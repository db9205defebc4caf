import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import type { AppBrowser } from '../testing/browser/app-page.js';
import {
  OFFLINE_MESSAGE,
  PASSWORD,
  SAVED,
  SCREENS,
  fillCredentials,
  navigate,
  promptBox,
  see,
  seeSaveState,
  stepHeading,
  submitLogin,
  submitRegistration,
  uniqueEmail,
  until,
} from '../testing/browser/mosaic-ui.js';
import type { PageWindow } from '../testing/browser/page-globals.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import { HttpClient } from '../testing/server-process.js';

// Issue 27 item 8: a shared computer is left clean. After each way a session ends (log out
// offline, log out everywhere from another device, the next person logging in), the screen and
// the browser's storage (localStorage, the service worker's caches) hold nothing of the person,
// and nothing they left unsent ever reaches another account.

interface DeviceStorage {
  local: Record<string, string>;
  /** URLs of API answers in any Cache Storage cache. */
  cachedApi: string[];
}

type StorageWindow = PageWindow & {
  localStorage: { length: number; key(i: number): string | null; getItem(key: string): string | null };
  caches: { keys(): Promise<string[]>; open(name: string): Promise<{ keys(): Promise<{ url: string }[]> }> };
};

async function deviceStorage(page: Page): Promise<DeviceStorage> {
  return page.evaluate(async () => {
    const window = globalThis as unknown as StorageWindow;
    const local: Record<string, string> = {};
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i)!;
      local[key] = window.localStorage.getItem(key) ?? '';
    }
    const cachedApi: string[] = [];
    for (const name of await window.caches.keys()) {
      for (const request of await (await window.caches.open(name)).keys()) {
        if (new URL(request.url).pathname.startsWith('/api/')) cachedApi.push(request.url);
      }
    }
    return { local, cachedApi };
  });
}

/** Fails when anything of the person (their email, a text they typed) is on screen or in storage. */
async function nothingOf(page: Page, secrets: string[]): Promise<DeviceStorage> {
  const stored = await deviceStorage(page);
  const everything = JSON.stringify(stored.local);
  for (const secret of secrets) {
    assert.ok(!everything.includes(secret), `localStorage still holds ${JSON.stringify(secret)}: ${everything.slice(0, 500)}`);
    assert.equal(await page.getByText(secret).count(), 0, `the screen still shows ${JSON.stringify(secret)}`);
  }
  assert.deepEqual(stored.cachedApi, [], 'no API answer in the caches');
  return stored;
}

const unsentKeys = (stored: DeviceStorage) => Object.keys(stored.local).filter((key) => key.startsWith('mosaic:workbook:unsent:'));

async function registerInBrowser(page: Page, email: string): Promise<void> {
  await page.getByRole('link', { name: 'Create account' }).first().click();
  await fillCredentials(page, email, PASSWORD);
  await submitRegistration(page);
  await see(page, email);
}

async function serverAnswers(client: HttpClient): Promise<Record<string, string>> {
  const response = await client.request('GET', '/api/ps101');
  assert.equal(response.status, 200);
  return response.body.answers;
}

async function loginClient(baseUrl: string, email: string): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  const response = await client.request('POST', '/api/auth/login', { email, password: PASSWORD });
  assert.equal(response.status, 200);
  return client;
}

const sessionCookie = async (app: AppBrowser) => (await app.context.cookies(app.baseUrl)).find((c) => c.name === 'mosaic_session');

async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (globalThis as unknown as PageWindow & { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator.serviceWorker.ready;
  });
}

describeInBrowser('the web app in Chromium: a shared computer is left clean', {}, (suite) => {
  it('log out works offline: forgotten at once, on screen and in storage, and the session ends on the server once back', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const email = uniqueEmail('offline-logout');
      const answer = 'A private answer typed on a library computer.';
      await page.goto(app.baseUrl + '/');
      await registerInBrowser(page, email);
      await navigate(page, SCREENS.workbook);
      await promptBox(page, '1.1').fill(answer);
      await seeSaveState(page, SAVED);
      await serviceWorkerReady(page);
      const before = await app.api();
      assert.equal((await before.request('GET', '/api/auth/me')).status, 200);

      await app.context.setOffline(true);
      await navigate(page, SCREENS.account);
      const logOut = page.getByRole('button', { name: 'Log out', exact: true });
      assert.equal(await logOut.isEnabled(), true, 'the button works offline');
      await logOut.click();
      await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
      await app.checkScreen('logged-out-offline');
      const stored = await nothingOf(page, [email, answer]);
      assert.deepEqual(unsentKeys(stored), []);
      assert.equal(stored.local['mosaic:logout-pending'], '1', 'the log out waits for the server');
      // The cookie is HttpOnly: only the server can end it, and it has not heard yet.
      assert.ok(await sessionCookie(app), 'the cookie is still in the browser');
      assert.equal((await before.request('GET', '/api/auth/me')).status, 200, 'the server has not been told yet');

      // Reloaded with no connection at all, the page still shows nobody.
      await suite.withServerDown(async () => {
        await page.reload();
        await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
        await page.goto(app.baseUrl + '/workbook').catch(() => undefined);
        await page.getByLabel('Email').waitFor();
        await nothingOf(page, [email, answer]);
      });

      await app.context.setOffline(false);
      await until('the server to end the session', async () => (await before.request('GET', '/api/auth/me')).status === 401);
      await until('the browser to drop the cookie', async () => !(await sessionCookie(app)));
      const after = await nothingOf(page, [email, answer]);
      assert.equal(after.local['mosaic:logout-pending'], undefined);
      // Nothing left on the device reopens the account.
      await page.goto(app.baseUrl + '/workbook');
      await page.getByLabel('Email').waitFor();
      await nothingOf(page, [email, answer]);
    }));

  it('after "log out everywhere" on another device, a reload of the open tab shows nothing of the person', (t) =>
    suite.withApp(t, async (first) => {
      const { page } = first;
      const email = uniqueEmail('everywhere');
      const answer = 'Something only I should read, left open in a tab.';
      await page.goto(first.baseUrl + '/');
      await registerInBrowser(page, email);
      await navigate(page, SCREENS.workbook);
      await promptBox(page, '1.1').fill(answer);
      await seeSaveState(page, SAVED);

      const second = await suite.open();
      try {
        await second.page.goto(second.baseUrl + '/login');
        await fillCredentials(second.page, email, PASSWORD);
        await submitLogin(second.page);
        await see(second.page, email);
        await navigate(second.page, SCREENS.account);
        await second.page.getByRole('button', { name: 'Log out everywhere' }).click();
        await second.page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
        await nothingOf(second.page, [email, answer]);
      } finally {
        await second.close();
      }

      await page.reload();
      await see(page, 'Your session has ended');
      await first.checkScreen('session-ended-after-reload');
      await nothingOf(page, [email, answer]);
      await page.reload();
      await page.getByLabel('Email').waitFor();
      await nothingOf(page, [email, answer]);
    }));

  it("A's unsent edit, kept when A's session ended, never reaches B's workbook; it reaches A's after A logs in again", (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const emailA = uniqueEmail('person-a');
      const emailB = uniqueEmail('person-b');
      const clientB = new HttpClient(app.baseUrl);
      assert.equal((await clientB.request('POST', '/api/auth/register', { email: emailB, password: PASSWORD })).status, 201);
      assert.equal((await clientB.request('PUT', '/api/ps101', { revision: 0, answers: { '1.1': "B's own answer" } })).status, 200);

      await page.goto(app.baseUrl + '/');
      await registerInBrowser(page, emailA);
      await navigate(page, SCREENS.workbook);
      await promptBox(page, '1.1').fill("A's saved answer");
      await seeSaveState(page, SAVED);

      await app.context.setOffline(true);
      await promptBox(page, '1.2').fill("A's unsent edit");
      await seeSaveState(page, OFFLINE_MESSAGE);
      // A's session ends elsewhere while the edit waits.
      const clientA = await loginClient(app.baseUrl, emailA);
      assert.equal((await clientA.request('POST', '/api/auth/logout-all')).status, 204);

      await app.context.setOffline(false);
      await see(page, 'Your session has ended');
      await see(page, '1 answer you typed could not be sent');
      await app.checkScreen('session-ended-unsent');
      const ended = await nothingOf(page, ["A's saved answer", emailA]);
      assert.equal(await page.getByText("A's unsent edit").count(), 0);
      assert.deepEqual(
        unsentKeys(ended).map((key) => ended.local[key]!.includes("A's unsent edit")),
        [true],
        "A's edit waits for A's choice, under A's key only",
      );
      await page.getByRole('button', { name: 'Keep them until I log in again' }).click();
      await see(page, 'Kept on this browser until you log in again.');

      // B logs in on the same browser.
      await page.getByRole('link', { name: 'Log in again' }).click();
      await fillCredentials(page, emailB, PASSWORD);
      await submitLogin(page);
      await see(page, emailB);
      await navigate(page, SCREENS.workbook);
      await see(page, stepHeading(1));
      assert.equal(await promptBox(page, '1.1').inputValue(), "B's own answer");
      assert.equal(await promptBox(page, '1.2').inputValue(), '', "A's edit is not shown to B");
      await promptBox(page, '1.3').fill("B's new answer");
      await seeSaveState(page, SAVED);
      assert.deepEqual(await serverAnswers(clientB), { '1.1': "B's own answer", '1.3': "B's new answer" }, "nothing of A's in B's workbook");
      const asB = await deviceStorage(page);
      assert.equal(unsentKeys(asB).length, 1, "A's kept edit is still there, for A only");
      assert.ok(!JSON.stringify(asB.local['mosaic:cache'] ?? '').includes("A's saved answer"));

      // B logs out; A logs in again on this browser and A's kept edit reaches A's workbook.
      await navigate(page, SCREENS.account);
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      await page.getByRole('banner').getByRole('link', { name: 'Log in' }).click();
      await nothingOf(page, ["B's own answer", "B's new answer", emailB]);
      await fillCredentials(page, emailA, PASSWORD);
      await submitLogin(page);
      await see(page, emailA);
      await navigate(page, SCREENS.workbook);
      const clientA2 = await loginClient(app.baseUrl, emailA);
      await until("A's kept edit to reach A's workbook", async () => (await serverAnswers(clientA2))['1.2'] === "A's unsent edit");
      assert.deepEqual(await serverAnswers(clientA2), { '1.1': "A's saved answer", '1.2': "A's unsent edit" });
      assert.deepEqual(await serverAnswers(clientB), { '1.1': "B's own answer", '1.3': "B's new answer" });
      await seeSaveState(page, SAVED);
      assert.deepEqual(unsentKeys(await deviceStorage(page)), []);
    }));

  it("the reported bug, two tabs: A's tab, left open with an unsent edit, sends nothing into B's workbook after B logs in in another tab", (t) =>
    suite.withApp(t, async (app) => {
      const tabA = app.page;
      const emailA = uniqueEmail('tab-a');
      const emailB = uniqueEmail('tab-b');
      const clientB = new HttpClient(app.baseUrl);
      assert.equal((await clientB.request('POST', '/api/auth/register', { email: emailB, password: PASSWORD })).status, 201);
      assert.equal((await clientB.request('PUT', '/api/ps101', { revision: 0, answers: { '1.1': "B's own answer" } })).status, 200);

      await tabA.goto(app.baseUrl + '/');
      await registerInBrowser(tabA, emailA);
      await navigate(tabA, SCREENS.workbook);
      // The workbook is loaded before the connection goes (a first visit has nothing kept).
      await promptBox(tabA, '1.1').waitFor();
      await app.context.setOffline(true);
      await promptBox(tabA, '1.1').fill("A's edit, typed offline");
      await seeSaveState(tabA, OFFLINE_MESSAGE);
      const clientA = await loginClient(app.baseUrl, emailA);
      assert.equal((await clientA.request('POST', '/api/auth/logout-all')).status, 204);
      await app.context.setOffline(false);
      await see(tabA, 'Your session has ended');

      const tabB = await app.context.newPage();
      await tabB.goto(app.baseUrl + '/login');
      await fillCredentials(tabB, emailB, PASSWORD);
      await submitLogin(tabB);
      await see(tabB, emailB);
      // What sent A's edit before: the connection coming back, or A's tab shown again.
      await tabA.bringToFront();
      await tabA.evaluate(() => (globalThis as unknown as PageWindow).dispatchEvent(new Event('online')));
      await tabB.bringToFront();
      await navigate(tabB, SCREENS.workbook);
      await see(tabB, stepHeading(1));
      assert.equal(await promptBox(tabB, '1.1').inputValue(), "B's own answer");
      assert.deepEqual(await serverAnswers(clientB), { '1.1': "B's own answer" }, "A's edit never reached B's workbook");
      assert.equal(await tabA.getByText("B's own answer").count(), 0, "A's tab never shows B's answer");
      assert.equal(await tabA.getByText("A's edit, typed offline").count(), 0, "A's tab no longer shows A's work either");
      await tabB.close();
    }));

  it('log out with unsent edits asks first: discarding removes them from this browser', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const email = uniqueEmail('discard');
      await page.goto(app.baseUrl + '/');
      await registerInBrowser(page, email);
      // Both screens are opened once while online, so their code and data are on the page
      // before the connection goes (on a loaded machine the service worker may not have
      // cached the Account screen's chunk yet).
      await navigate(page, SCREENS.account);
      await page.getByRole('button', { name: 'Log out', exact: true }).waitFor();
      await navigate(page, SCREENS.workbook);
      await promptBox(page, '1.1').waitFor();
      await app.context.setOffline(true);
      await promptBox(page, '1.1').fill('Typed and never sent.');
      await seeSaveState(page, OFFLINE_MESSAGE);
      await navigate(page, SCREENS.account);
      await page.getByRole('button', { name: 'Log out', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Some answers are not sent yet' });
      await dialog.waitFor();
      await see(page, 'You have 1 answer not sent to the server yet.');
      await app.checkScreen('logout-unsent');
      assert.ok(await sessionCookie(app));
      await dialog.getByRole('button', { name: 'Discard them and log out' }).click();
      await page.getByRole('banner').getByRole('link', { name: 'Log in' }).waitFor();
      const stored = await nothingOf(page, ['Typed and never sent.', email]);
      assert.deepEqual(unsentKeys(stored), []);
      await app.context.setOffline(false);
    }));
});
