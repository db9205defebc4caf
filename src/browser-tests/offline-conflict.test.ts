import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AppBrowser } from '../testing/browser/app-page.js';
import { OFFLINE_MESSAGE, SAVED, UNSENT_MARK, promptBox, see, seeSaveState, startAsGuest, stepHeading, until } from '../testing/browser/mosaic-ui.js';
import type { PageWindow } from '../testing/browser/page-globals.js';
import { describeInBrowser } from '../testing/browser/suite.js';

async function serverAnswers(app: AppBrowser): Promise<Record<string, string>> {
  const response = await (await app.api()).request('GET', '/api/ps101');
  assert.equal(response.status, 200);
  return response.body.answers;
}

async function serverKeeps(app: AppBrowser, expected: Record<string, string>): Promise<void> {
  await until(`the server to keep ${JSON.stringify(expected)}`, async () => {
    const answers = await serverAnswers(app);
    return Object.entries(expected).every(([key, text]) => answers[key] === text);
  });
}

describeInBrowser('the web app in Chromium: offline edits and conflicts', {}, (suite) => {
  it('leaves /docs, /metrics and /health* to the network once the service worker controls the page', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await page.evaluate(async () => {
        await (globalThis as unknown as PageWindow & { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator.serviceWorker.ready;
      });
      await until('the service worker to control the page', () =>
        page.evaluate(() => Boolean((globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller)),
      );
      // The app's own client-side route is still answered by the worker, so the check below means something.
      const appRoute = await page.goto(app.baseUrl + '/workbook');
      assert.equal(appRoute?.fromServiceWorker(), true, 'a client-side route comes from the worker');
      const expected: [string, number, RegExp][] = [
        ['/docs', 200, /swagger/i],
        ['/metrics', 404, /"not_found"/],
        ['/health', 200, /"ok"/],
        ['/health/no-such-check', 404, /"not_found"/],
      ];
      for (const [path, status, body] of expected) {
        const response = await page.goto(app.baseUrl + path);
        assert.ok(response, path);
        assert.equal(response.fromServiceWorker(), false, `${path} comes from the network`);
        assert.equal(response.status(), status, path);
        assert.match(await response.text(), body, path);
      }
    }));

  it('answers typed offline survive a reload, marked unsent, and reach the server once back online', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await startAsGuest(page);
      await promptBox(page, '1.1').fill('Sent while online.');
      await serverKeeps(app, { '1.1': 'Sent while online.' });
      // The service worker keeps the app's own files, so the page can reload with no network.
      await page.evaluate(async () => {
        await (globalThis as unknown as PageWindow & { navigator: { serviceWorker: { ready: Promise<unknown> } } }).navigator.serviceWorker.ready;
      });

      await app.context.setOffline(true);
      await promptBox(page, '1.2').pressSequentially('Typed on the train, offline.');
      await promptBox(page, '1.3').fill('A second answer with no connection.');
      await seeSaveState(page, OFFLINE_MESSAGE);
      await app.checkScreen('workbook-offline');
      assert.equal((await serverAnswers(app))['1.2'], undefined, 'nothing reached the server while offline');

      // DevTools offline emulation, and even context routing, did not always stop the saves of
      // a page reloaded under its service worker (Chromium 156: some reached the server). With
      // the server down as well, nothing can: the reload is offline in every sense.
      await suite.withServerDown(async () => {
        await page.reload();
        await see(page, stepHeading(1));
        assert.equal(await promptBox(page, '1.2').inputValue(), 'Typed on the train, offline.');
        assert.equal(await promptBox(page, '1.3').inputValue(), 'A second answer with no connection.');
        await seeSaveState(page, OFFLINE_MESSAGE);
        assert.equal(await page.getByText(UNSENT_MARK, { exact: true }).count(), 2, 'both answers marked unsent');
      });

      await app.context.setOffline(false);
      await serverKeeps(app, {
        '1.1': 'Sent while online.',
        '1.2': 'Typed on the train, offline.',
        '1.3': 'A second answer with no connection.',
      });
      await seeSaveState(page, SAVED);
      assert.equal(await page.getByText(UNSENT_MARK, { exact: true }).count(), 0, 'nothing left unsent');
    }));

  it('two tabs edit one answer: the second save offers the choice, and the server keeps the chosen text', (t) =>
    suite.withApp(t, async (app) => {
      const first = app.page;
      await first.goto(app.baseUrl + '/');
      await startAsGuest(first);
      await promptBox(first, '1.1').fill('The answer both tabs start from.');
      await serverKeeps(app, { '1.1': 'The answer both tabs start from.' });

      const second = await app.context.newPage();
      await second.goto(app.baseUrl + '/workbook');
      await see(second, stepHeading(1));
      assert.equal(await promptBox(second, '1.1').inputValue(), 'The answer both tabs start from.');

      await promptBox(first, '1.1').fill('Written in the first tab.');
      await serverKeeps(app, { '1.1': 'Written in the first tab.' });

      // The second tab still holds the older revision: its save must not overwrite silently.
      await promptBox(second, '1.1').fill('Written in the second tab.');
      const dialog = second.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Keep mine' }).waitFor();
      await see(second, 'Written in the first tab.');
      await app.checkScreen('workbook-conflict', second);
      assert.equal((await serverAnswers(app))['1.1'], 'Written in the first tab.', 'nothing overwritten before the choice');

      // Keep mine, take theirs, or edit a merge: the merge is the choice only a person can make.
      await dialog.getByRole('button', { name: 'Edit a merge' }).click();
      const merged = 'Merged: the first tab’s answer, and the second tab’s too.';
      await dialog.getByLabel('Merged answer').fill(merged);
      await dialog.getByRole('button', { name: 'Save my choices' }).click();
      await serverKeeps(app, { '1.1': merged });
      await seeSaveState(second, SAVED);
      assert.equal(await promptBox(second, '1.1').inputValue(), merged);
      await second.close();
    }));
});
