import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openDatabase } from '../db/connection.js';
import type { PageElement, PageWindow } from '../testing/browser/page-globals.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import { SCREENS, fillCredentials, navigate, see, submitLogin, until } from '../testing/browser/mosaic-ui.js';
import { damagedLegacyData, PASSWORDS, SESSIONS, writeLegacySource, type LegacySourceDatabase } from '../testing/legacy-fixtures.js';
import { runImport } from '../testing/legacy-import.js';

const KEY = 'delta_session_id';

describeInBrowser('the web app in Chromium: work from the earlier version', {}, (suite) => {
  let source: LegacySourceDatabase;
  let fixture: ReturnType<typeof damagedLegacyData>;
  before(async () => {
    fixture = damagedLegacyData('sqlite');
    source = await writeLegacySource('sqlite', fixture.rows);
    // Imported while the server runs, as an operator would before announcing the switch.
    const target = openDatabase(suite.database.config);
    try {
      await runImport(source.location, fixture.uploads, target.db);
    } finally {
      await target.close();
    }
  });
  after(async () => {
    await source?.drop();
    fixture?.cleanup();
  });

  it('an earlier user logs in with their old password, is offered their work, adds it, and the key is gone', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/login');
      // The earlier version's page left its session id in this origin's storage.
      await page.evaluate(([key, id]) => (globalThis as unknown as PageWindow).localStorage.setItem(key!, id!), [KEY, SESSIONS.ann]);
      await fillCredentials(page, 'ann@example.org', PASSWORDS.ann);
      await submitLogin(page);
      const offer = page.getByRole('region', { name: 'Your work from the earlier version' });
      await offer.waitFor();
      for (const line of ['3 workbook answers', '4 conversations with the coach', '3 job matches', '2 résumé versions', '4 files']) {
        await offer.getByText(line, { exact: true }).waitFor();
      }
      await app.checkScreen('legacy-offer');

      // By keyboard: focus the button and press Enter.
      await offer.getByRole('button', { name: 'Add it to my account' }).focus();
      await page.keyboard.press('Enter');
      const status = page.getByRole('status').filter({ hasText: 'Added to your account' });
      await status.waitFor();
      assert.equal(await status.evaluate((el) => (el as unknown as PageElement) === (globalThis as unknown as PageWindow).document.activeElement), true, 'the outcome takes the focus, so a screen reader reads it');
      assert.equal(await page.evaluate((key) => (globalThis as unknown as PageWindow).localStorage.getItem(key), KEY), null);

      await navigate(page, SCREENS.chat);
      await see(page, 'I feel stuck at work');
      await see(page, 'Let us name the gap first.');
      await navigate(page, SCREENS.files);
      await see(page, 'cv.txt');
      await navigate(page, SCREENS.workbook);
      await page.getByRole('link', { name: /From the earlier version/ }).click();
      await see(page, 'I want a job with more meaning');
      await page.getByRole('heading', { name: 'Step 2' }).waitFor();
      await app.checkScreen('legacy-past-run');

      // Back again later: no key, no offer; the work is the account's.
      await page.reload();
      await see(page, 'I want a job with more meaning');
      assert.equal(await page.getByRole('region', { name: 'Your work from the earlier version' }).count(), 0);
      const messages = (await (await app.api()).request('GET', '/api/chat/messages')).body.messages as { content: string }[];
      assert.ok(messages.some((m) => m.content === 'I feel stuck at work'));
    }));

  it('a guest whose key finds nothing (already claimed) sees no offer and loses the key', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await page.evaluate(([key, id]) => (globalThis as unknown as PageWindow).localStorage.setItem(key!, id!), [KEY, SESSIONS.ann]);
      await page.getByRole('button', { name: 'Start without an account' }).click();
      await until('the key to be removed', async () => (await page.evaluate((key) => (globalThis as unknown as PageWindow).localStorage.getItem(key), KEY)) === null);
      assert.equal(await page.getByRole('region', { name: 'Your work from the earlier version' }).count(), 0);
    }));

  it('a guest is offered an orphan’s work too, and gets it', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await page.evaluate(([key, id]) => (globalThis as unknown as PageWindow).localStorage.setItem(key!, id!), [KEY, SESSIONS.orphan]);
      await page.getByRole('button', { name: 'Start without an account' }).click();
      const offer = page.getByRole('region', { name: 'Your work from the earlier version' });
      await offer.getByText('1 conversation with the coach', { exact: true }).waitFor();
      await offer.getByRole('button', { name: 'Add it to my account' }).click();
      await page.getByRole('status').filter({ hasText: 'Added to your account' }).waitFor();
      await navigate(page, SCREENS.chat);
      await see(page, 'Orphaned question');
    }));
});
