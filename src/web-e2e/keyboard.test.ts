import assert from 'node:assert/strict';
import { it } from 'node:test';
import { tabTo } from '../testing/browser/keyboard.js';
import { PASSWORD, SCREENS, promptBox, see, stepHeading, uniqueEmail, until } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';

describeInBrowser('the web app in Chromium: keyboard only', {}, (suite) => {
  it('registers and works through the workbook with Tab, Enter and typing', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const { keyboard } = page;
      const email = uniqueEmail('keyboard');
      await page.goto(app.baseUrl + '/');
      await page.getByRole('heading', { level: 1 }).waitFor();

      await tabTo(page, page.getByRole('main').getByRole('link', { name: 'Create account' }), 'Create account');
      await keyboard.press('Enter');
      const emailBox = page.getByLabel('Email');
      await emailBox.waitFor();
      await tabTo(page, emailBox, 'the email field');
      await keyboard.type(email);
      await tabTo(page, page.getByLabel('Password', { exact: true }), 'the password field');
      await keyboard.type(PASSWORD);
      await keyboard.press('Enter');
      await see(page, email);

      await tabTo(page, page.getByRole('navigation').getByRole('link', { name: SCREENS.workbook }), 'the workbook link');
      await keyboard.press('Enter');
      await see(page, stepHeading(1));
      const heading = page.getByRole('main').getByRole('heading', { level: 1 });
      assert.ok(
        await heading.evaluate((h) => h === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement),
        'after navigating, the focus is on the new screen’s heading',
      );

      await tabTo(page, promptBox(page, '1.1'), 'the first prompt');
      await keyboard.type('Typed with the keyboard alone.');
      await tabTo(page, page.getByRole('button', { name: /^Next/ }), 'Next');
      await keyboard.press('Enter');
      await see(page, stepHeading(2));
      await tabTo(page, promptBox(page, '2.1'), 'the first prompt of step 2');
      await keyboard.type('Still only the keyboard.');

      await until('both answers on the server', async () => {
        const state = (await (await app.api()).request('GET', '/api/ps101')).body;
        return state.answers['1.1'] === 'Typed with the keyboard alone.' && state.answers['2.1'] === 'Still only the keyboard.' && state.currentStep === 2;
      });
    }));
});
