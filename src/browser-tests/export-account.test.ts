import assert from 'node:assert/strict';
import fs from 'node:fs';
import { it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { SCREENS, navigate, promptBox, see, startAsGuest, until } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';

describeInBrowser('the web app in Chromium: the account export', {}, (suite) => {
  it('offers the zip and the JSON from the Account screen, and the zip holds a page people can read', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await startAsGuest(page);
      await promptBox(page, '1.1').fill('I want work with more people in it.');
      const api = await app.api();
      await until('the answer to be saved', async () => (await api.request('GET', '/api/ps101')).body.answers['1.1'] === 'I want work with more people in it.');
      await navigate(page, SCREENS.account);
      await see(page, 'Download everything (.zip)');
      await app.checkScreen('account-export');

      const [zipDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download everything (.zip)' }).click()]);
      assert.match(zipDownload.suggestedFilename(), /^mosaic-export-\d{4}-\d{2}-\d{2}\.zip$/);
      const zip = unzipSync(new Uint8Array(fs.readFileSync((await zipDownload.path())!)));
      const html = strFromU8(zip['mosaic-export.html']!);
      assert.ok(html.includes('In a sentence or two, what is the problem you want to work on?'));
      assert.ok(html.includes('I want work with more people in it.'));

      const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the data file (.json)' }).click()]);
      assert.match(jsonDownload.suggestedFilename(), /^mosaic-export-\d{4}-\d{2}-\d{2}\.json$/);
      const data = JSON.parse(fs.readFileSync((await jsonDownload.path())!, 'utf8'));
      assert.equal(data.workbook.runs[0].answers[0].question, 'In a sentence or two, what is the problem you want to work on?');
    }));
});
