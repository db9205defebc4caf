import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { AppBrowser } from '../testing/browser/app-page.js';
import {
  PASSWORD,
  SCREENS,
  fillCredentials,
  logOut,
  navigate,
  promptBox,
  see,
  submitLogin,
  submitRegistration,
  uniqueEmail,
  until,
} from '../testing/browser/mosaic-ui.js';
import { resumePdf } from '../testing/browser/uploads.js';
import { describeInBrowser, keepingFailures } from '../testing/browser/suite.js';
import { startFakeChatCompletions, type FakeChatCompletions } from '../testing/fake-chat-completions.js';
import { windowsExecutable } from '../testing/fixtures.js';

// The coach is the OpenAI-compatible one, pointed at a local fake that answers 500 until a
// test tells it otherwise: the only way to make a coach fail on demand.
let fake: FakeChatCompletions;
before(async () => {
  fake = await startFakeChatCompletions();
  fake.fallback = { status: 500 };
});
after(async () => {
  await fake?.close();
});

const ANSWER = 'Nothing I type here may be lost, whatever fails.';

describeInBrowser(
  'the web app in Chromium: error paths lose nothing typed',
  { serverEnv: () => ({ COACH_API_URL: fake.url, COACH_API_KEY: 'test-key', COACH_TIMEOUT_MS: '5000' }) },
  (suite) => {
    let app: AppBrowser;
    const email = uniqueEmail('errors');
    before(async () => {
      app = await suite.open();
      await app.page.goto(app.baseUrl + '/');
      await app.page.getByRole('link', { name: 'Create account' }).first().click();
      await fillCredentials(app.page, email, PASSWORD);
      await submitRegistration(app.page);
      await see(app.page, email);
      await navigate(app.page, SCREENS.workbook);
      await promptBox(app.page, '1.1').fill(ANSWER);
      await until('the answer saved', async () => (await (await app.api()).request('GET', '/api/ps101')).body.answers['1.1'] === ANSWER);
    });
    after(async () => {
      await app?.close();
    });

    it('a coach failure shows its message, keeps the message and offers to ask again', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      fake.fallback = { status: 500 };
      await navigate(page, SCREENS.chat);
      const message = 'Can you help me plan my first informational interview?';
      await page.getByRole('textbox', { name: /message/i }).fill(message);
      await page.getByRole('button', { name: /^Send/ }).click();
      const askAgain = page.getByRole('button', { name: /ask again/i });
      await askAgain.waitFor();
      assert.match((await page.getByRole('alert').textContent()) ?? '', /coach cannot answer right now/i);
      await see(page, message);
      await app.checkScreen('chat-coach-unavailable');

      fake.fallback = { reply: 'Start with two people whose work you admire.' };
      await askAgain.click();
      await see(page, 'Start with two people whose work you admire.');
      const messages = (await (await app.api()).request('GET', '/api/chat/messages')).body.messages as { role: string; content: string }[];
      assert.ok(messages.some((m) => m.role === 'user' && m.content === message), 'the message is kept');
    }));

    it('an upload over 10 MB is refused in words with the limit', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      await navigate(page, SCREENS.files);
      await page.getByLabel('Choose files to upload').setInputFiles({ name: 'huge-portfolio.pdf', mimeType: 'application/pdf', buffer: resumePdf(10.5 * 1024 * 1024) });
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /too large.*10(\.0)? MB/);
      await app.checkScreen('files-too-large');
      assert.equal((await (await app.api()).request('GET', '/api/files')).body.files.length, 0, 'nothing stored');
    }));

    it('an executable renamed .pdf is refused with the accepted types', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      await navigate(page, SCREENS.files);
      await page.getByLabel('Choose files to upload').setInputFiles({ name: 'resume.pdf', mimeType: 'application/pdf', buffer: windowsExecutable() });
      const alert = page.getByRole('alert');
      await alert.filter({ hasText: 'not accepted' }).waitFor();
      assert.match((await alert.textContent()) ?? '', /PDF, DOCX, ODT, RTF/);
      await app.checkScreen('files-unsupported');
      assert.equal((await (await app.api()).request('GET', '/api/files')).body.files.length, 0, 'nothing stored');
    }));

    it('a wrong password is refused in words, the email stays typed, and then the work is all there', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      await logOut(page);
      await fillCredentials(page, email, 'not the password at all');
      await submitLogin(page);
      await see(page, /wrong email or password|email or password is wrong/i);
      await app.checkScreen('login-wrong-password');
      assert.equal(await page.getByLabel('Email').inputValue(), email, 'the email is still typed');

      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await submitLogin(page);
      await see(page, email);
      await navigate(page, SCREENS.workbook);
      assert.equal(await promptBox(page, '1.1').inputValue(), ANSWER);
    }));
  },
);
