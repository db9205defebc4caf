import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { isFocused, tabTo } from '../testing/browser/keyboard.js';
import { PASSWORD, SCREENS, promptBox, see, stepHeading, uniqueEmail, until } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';

/** Tabs to a navigation link, presses Enter, and checks the focus moved to the new screen's heading. */
async function openByKeyboard(page: Page, link: string, heading: string): Promise<void> {
  await tabTo(page, page.getByRole('navigation').getByRole('link', { name: link, exact: true }), `the ${link} link`);
  await page.keyboard.press('Enter');
  const h1 = page.getByRole('main').getByRole('heading', { level: 1, name: heading });
  await h1.waitFor();
  await until(`the focus on the “${heading}” heading`, () => isFocused(h1), 5_000);
}

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

      // Registering opens the workbook; go to another screen and back through the navigation.
      await see(page, stepHeading(1));
      await openByKeyboard(page, SCREENS.chat, 'Coach');
      await openByKeyboard(page, SCREENS.workbook, 'PS101 workbook');
      await see(page, stepHeading(1));

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
