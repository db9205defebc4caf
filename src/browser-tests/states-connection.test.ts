import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SAVED, SCREENS, navigate, promptBox, see, seeSaveState, startAsGuest, until } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import { multipartBody } from '../testing/fixtures.js';

const UNREACHABLE = "Mosaic can't be reached right now";
const OFFLINE = 'This browser is offline';

describeInBrowser('the web app in Chromium: honest states and page titles', {}, (suite) => {
  it("says Mosaic can't be reached while the server is down, keeps the list, and recovers by itself", (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await startAsGuest(page);
      const api = await app.api();
      const upload = await page.request.post(app.baseUrl + '/api/files', {
        multipart: { file: { name: 'kept-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Notes that must stay on screen.') } },
      });
      assert.equal(upload.status(), 201);
      // Every screen's code loaded while online (the next visits need no server).
      await navigate(page, SCREENS.account);
      await navigate(page, SCREENS.files);
      await see(page, 'kept-notes.txt');
      // A reload would lose this mark: the page must recover without one.
      await page.evaluate(() => {
        (globalThis as unknown as Record<string, unknown>).mosaicTestMark = 'no reload';
      });

      await suite.withServerDown(async () => {
        await navigate(page, SCREENS.account);
        await navigate(page, SCREENS.files);
        await see(page, UNREACHABLE, 30_000);
        await see(page, 'kept-notes.txt');
        assert.ok(!(await page.getByText(OFFLINE).count()), 'never "this browser is offline" while it is online');
        await app.checkScreen('files-mosaic-unreachable');
      });
      await until(
        'the page to recover by itself',
        async () => (await page.getByText(UNREACHABLE).count()) === 0,
        45_000,
      );
      await see(page, 'kept-notes.txt');
      assert.equal(await page.evaluate(() => (globalThis as unknown as Record<string, unknown>).mosaicTestMark), 'no reload');
      assert.equal((await api.request('GET', '/api/files')).status, 200);
    }));

  it('says this browser is offline when it is, keeps the list, and catches up when it is back', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await startAsGuest(page);
      const api = await app.api();
      const upload = (name: string) =>
        page.request.post(app.baseUrl + '/api/files', { multipart: { file: { name, mimeType: 'text/plain', buffer: Buffer.from(`Notes in ${name}.`) } } });
      assert.equal((await upload('before-offline.txt')).status(), 201);
      await navigate(page, SCREENS.account);
      await navigate(page, SCREENS.files);
      await see(page, 'before-offline.txt');
      await app.context.setOffline(true);
      await see(page, OFFLINE);
      await navigate(page, SCREENS.account);
      await navigate(page, SCREENS.files);
      await see(page, 'before-offline.txt');
      assert.equal(await page.getByText(UNREACHABLE).count(), 0, "not Mosaic's fault");
      await app.checkScreen('files-browser-offline');
      // Uploaded from elsewhere meanwhile (another device): this page shows it once back online.
      const body = multipartBody(Buffer.from('Notes from another device.'), 'while-offline.txt');
      const elsewhere = await fetch(app.baseUrl + '/api/files', { method: 'POST', headers: { ...body.headers, cookie: api.cookie }, body: body.payload });
      assert.equal(elsewhere.status, 201);
      await app.context.setOffline(false);
      await until('the offline line to go', async () => (await page.getByText(OFFLINE).count()) === 0, 30_000);
      await see(page, 'while-offline.txt', 30_000);
    }));

  it("the workbook's save status says Mosaic can't be reached, keeps the answer and saves it once Mosaic is back", (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await startAsGuest(page);
      await promptBox(page, '1.1').fill('Saved before.');
      await seeSaveState(page, SAVED);
      await suite.withServerDown(async () => {
        await promptBox(page, '1.1').fill('Typed while Mosaic was away.');
        await see(page, "Mosaic can't be reached — your changes are kept on this device", 30_000);
        assert.equal(await page.getByText(OFFLINE).count(), 0, 'the browser is online');
      });
      const api = await app.api();
      await until('the answer to reach the server', async () => (await api.request('GET', '/api/ps101')).body.answers?.['1.1'] === 'Typed while Mosaic was away.', 45_000);
      await seeSaveState(page, SAVED, 30_000);
    }));

  it('names each screen in the page title', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await until('the welcome title', async () => (await page.title()) === 'Welcome · Mosaic');
      await page.goto(app.baseUrl + '/login');
      await until('the login title', async () => (await page.title()) === 'Log in · Mosaic');
      await page.goto(app.baseUrl + '/no-such-page');
      await until('the not-found title', async () => (await page.title()) === 'Page not found · Mosaic');
      await app.checkScreen('not-found');
      await page.goto(app.baseUrl + '/');
      await startAsGuest(page);
      await until('the workbook title', async () => (await page.title()) === 'Workbook · Mosaic');
      for (const [screen, title] of [
        [SCREENS.files, 'Files · Mosaic'],
        [SCREENS.account, 'Account · Mosaic'],
      ] as const) {
        await navigate(page, screen);
        await until(`the ${screen} title`, async () => (await page.title()) === title);
      }
    }));
});
