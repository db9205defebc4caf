import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PHONE } from '../testing/browser/app-page.js';
import { tabTo } from '../testing/browser/keyboard.js';
import { fillCredentials, navigate, PASSWORD, SCREENS, see, stepHeading, submitRegistration, uniqueEmail, until } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import { linkIn, mailEnv, PUBLIC_URL, SUBJECTS, TestMailServer } from '../testing/mail-server.js';
import { HttpClient } from '../testing/server-process.js';

// One real SMTP server for the file; every server process mails through it. The links carry
// PUBLIC_URL (https://mosaic.example.org); the browser opens their path and fragment on the
// test server, whose port is chosen at start.
let mail: TestMailServer;
before(async () => {
  mail = await TestMailServer.start();
});
after(async () => {
  await mail?.stop();
});

const onTestServer = (link: string, baseUrl: string) => {
  assert.ok(link.startsWith(PUBLIC_URL), link);
  return baseUrl + link.slice(PUBLIC_URL.length);
};

describeInBrowser('account recovery in Chromium', { serverEnv: () => mailEnv(mail) }, (suite) => {
  it('forgot password at 375 px, by keyboard: the request screen, the mailed link, a new password, logged in', (t) =>
    suite.withApp(
      t,
      async (app) => {
        const { page } = app;
        const email = uniqueEmail('forgot');
        const api = new HttpClient(suite.server.url);
        assert.equal((await api.request('POST', '/api/auth/register', { email, password: PASSWORD })).status, 201);

        await page.goto(`${app.baseUrl}/login`);
        await tabTo(page, page.getByRole('link', { name: 'Forgot password?' }), 'Forgot password?');
        await page.keyboard.press('Enter');
        const emailBox = page.getByLabel('Email');
        await emailBox.waitFor();
        await app.checkScreen('forgot-password');
        await tabTo(page, emailBox, 'the email field');
        await page.keyboard.type(email);
        await page.keyboard.press('Enter');
        await see(page, /a mail with a link to set a new password is on its way/);
        await app.checkScreen('forgot-password-sent');

        const { link } = linkIn(await mail.waitFor(email, SUBJECTS.reset), '/reset-password');
        const opened = await page.goto(onTestServer(link, app.baseUrl));
        // The page never tells another site where it came from (and so nothing of the link).
        assert.equal(opened?.headers()['referrer-policy'], 'no-referrer');
        const box = page.getByLabel('New password');
        await box.waitFor();
        await until('the token out of the address bar', async () => !page.url().includes('token'));
        await see(page, /At least 8 characters/);
        await app.checkScreen('reset-password');
        await tabTo(page, box, 'the new password');
        await page.keyboard.type('short');
        await page.keyboard.press('Enter');
        await see(page, 'The password needs at least 8 characters.');
        await box.fill('');
        await page.keyboard.type('my brand new passphrase');
        await tabTo(page, page.getByRole('button', { name: 'Set password' }), 'Set password');
        await page.keyboard.press('Enter');
        await see(page, stepHeading(1));
        await see(page, email);
        assert.equal((await api.request('POST', '/api/auth/login', { email, password: PASSWORD })).status, 401);

        // The same link again: refused in words, with a way to a new one.
        await page.goto(onTestServer(link, app.baseUrl));
        await page.getByLabel('New password').fill('yet another passphrase');
        await page.getByRole('button', { name: 'Set password' }).click();
        await see(page, /This link no longer works/);
        await app.checkScreen('reset-password-used');
        assert.ok(await page.getByRole('link', { name: 'Ask for a new link' }).isVisible());
      },
      PHONE,
    ));

  it('shows a quiet banner until the address is confirmed from the mailed link', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const email = uniqueEmail('verify');
      await page.goto(`${app.baseUrl}/register`);
      await fillCredentials(page, email, PASSWORD);
      await submitRegistration(page);
      await see(page, stepHeading(1));
      const banner = page.getByRole('complementary', { name: 'Address not confirmed' });
      await banner.waitFor();
      assert.match((await banner.textContent()) ?? '', new RegExp(`we sent a link to ${email.replace(/[.+]/g, '\\$&')}`));
      await app.checkScreen('verify-banner');

      const { link } = linkIn(await mail.waitFor(email, SUBJECTS.verify), '/verify-email');
      await page.goto(onTestServer(link, app.baseUrl));
      const button = page.getByRole('button', { name: 'Confirm my address' });
      await button.waitFor();
      await app.checkScreen('verify-email');
      await tabTo(page, button, 'Confirm my address');
      await page.keyboard.press('Enter');
      await see(page, `Thank you: ${email} is confirmed.`);
      await navigate(page, SCREENS.workbook);
      await see(page, stepHeading(1));
      assert.equal(await banner.count(), 0, 'the banner is gone');
    }));

  it('changes the address from the Account screen once the new address confirms', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      const email = uniqueEmail('move-old');
      const newEmail = uniqueEmail('move-new');
      await page.goto(`${app.baseUrl}/register`);
      await fillCredentials(page, email, PASSWORD);
      await submitRegistration(page);
      await see(page, stepHeading(1));
      await navigate(page, SCREENS.account);
      await page.getByLabel('New address').fill(newEmail);
      await page.getByLabel('Current password').first().fill('not my password');
      await page.getByRole('button', { name: 'Change address' }).click();
      await see(page, 'The password is wrong.');
      await page.getByLabel('Current password').first().fill(PASSWORD);
      await page.getByRole('button', { name: 'Change address' }).click();
      await see(page, `We sent a link to ${newEmail}.`);
      await app.checkScreen('account-email-pending');
      await see(page, `Signed in as ${email}.`);

      const { link } = linkIn(await mail.waitFor(newEmail, SUBJECTS.change), '/confirm-email');
      await page.goto(onTestServer(link, app.baseUrl));
      await page.getByRole('button', { name: 'Use this address' }).click();
      await see(page, `Done: your account now uses ${newEmail}.`);
      await app.checkScreen('confirm-email-done');
      await navigate(page, SCREENS.account);
      await see(page, `Signed in as ${newEmail}.`);
      await see(page, `${newEmail} — confirmed`);
      await mail.waitFor(email, SUBJECTS.changed);
    }));
});
