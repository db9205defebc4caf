import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PHONE, type AppBrowser } from '../testing/browser/app-page.js';
import { PASSWORD, SCREENS, fillCredentials, navigate, see, startAsGuest, submitRegistration, uniqueEmail, until } from '../testing/browser/mosaic-ui.js';
import { describeInBrowser, keepingFailures } from '../testing/browser/suite.js';
import { startFakeChatCompletions, type FakeChatCompletions } from '../testing/fake-chat-completions.js';

// The coach is the OpenAI-compatible one on a local fake, so a test decides what it answers
// (a hostile Markdown payload, a slow stream) and how it answers it.
let fake: FakeChatCompletions;
before(async () => {
  fake = await startFakeChatCompletions();
});
after(async () => {
  await fake?.close();
});

const HOSTILE =
  '<script>window.__pwned = "script"</script> **Bold advice** and <img src=x onerror="window.__pwned = \'img\'"> ' +
  'see [the guide](https://example.org/guide) not [this](javascript:window.__pwned=1)';

interface Stored {
  role: string;
  content: string;
}

describeInBrowser(
  'the chat in Chromium behaves like the chats people know',
  { serverEnv: () => ({ COACH_API_URL: fake.url, COACH_API_KEY: 'test-key', COACH_TIMEOUT_MS: '5000' }) },
  (suite) => {
    let app: AppBrowser;
    const box = () => app.page.getByRole('textbox', { name: 'Message to the coach' });
    const stored = async () => ((await (await app.api()).request('GET', '/api/chat/messages')).body.messages as Stored[]).reverse();

    before(async () => {
      fake.answers.length = 0;
      fake.fallback = { reply: 'Fake coach reply.' };
      app = await suite.open();
      await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
      await app.page.goto(app.baseUrl + '/');
      await app.page.getByRole('link', { name: 'Create account' }).first().click();
      await fillCredentials(app.page, uniqueEmail('chat'), PASSWORD);
      await submitRegistration(app.page);
      await navigate(app.page, SCREENS.workbook);
      await navigate(app.page, SCREENS.chat);
    });
    after(async () => {
      await app?.close();
    });

    it('names the screen, sends on Enter, adds a line on Shift+Enter and keeps the focus in the box', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      await until('the title names the screen', async () => (await page.title()) === 'Coach · Mosaic');
      await box().click();
      await page.keyboard.type('First line');
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('second line');
      assert.equal(await box().inputValue(), 'First line\nsecond line');
      assert.deepEqual(await stored(), [], 'Shift+Enter sent nothing');
      fake.answers.push({ reply: 'Thanks for both lines.' });
      await page.keyboard.press('Enter');
      await see(page, 'Thanks for both lines.');
      assert.equal(await box().inputValue(), '');
      assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id), 'chat-message');
      const kept = (await stored()).map(({ role, content }) => ({ role, content }));
      assert.deepEqual(kept, [
        { role: 'user', content: 'First line\nsecond line' },
        { role: 'coach', content: 'Thanks for both lines.' },
      ]);
    }));

    it('shows the reply as it streams, then the whole of it', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      fake.answers.push({ reply: 'One small step today is better than a perfect plan next month.', chunkDelayMs: 250 });
      await box().fill('How do I start?');
      await box().press('Enter');
      const streaming = page.locator('.bubble.coach[aria-busy="true"]');
      await until('part of the reply is on the page', async () => /One small/.test((await streaming.textContent().catch(() => '')) ?? ''));
      assert.doesNotMatch((await streaming.textContent()) ?? '', /next month\./, 'not yet the whole reply');
      await see(page, 'One small step today is better than a perfect plan next month.');
      await until('the stream is over', async () => (await streaming.count()) === 0);
    }));

    it('renders Markdown safely: HTML stays text, nothing runs, links open safely', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      fake.answers.push({ reply: HOSTILE });
      await box().fill('Show me something risky');
      await box().press('Enter');
      const reply = page.locator('.bubble.coach').last();
      await until('the reply arrived', async () => (await reply.getByText('Bold advice').count()) > 0 && (await page.locator('.bubble.coach[aria-busy]').count()) === 0);
      assert.equal(await reply.locator('strong').first().textContent(), 'Bold advice');
      const text = (await reply.textContent()) ?? '';
      assert.match(text, /<script>window.__pwned = "script"<\/script>/);
      assert.match(text, /<img src=x onerror=/);
      assert.equal(await page.locator('.chat-log img, .chat-log script').count(), 0);
      assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned), undefined, 'nothing executed');
      const link = reply.getByRole('link', { name: 'the guide' });
      assert.equal(await link.getAttribute('href'), 'https://example.org/guide');
      assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
      assert.equal(await link.getAttribute('target'), '_blank');
      assert.equal(await reply.getByRole('link', { name: 'this' }).count(), 0, 'a javascript: link is text');
      await app.checkScreen('chat-markdown');
    }));

    it('copies a reply and regenerates the last one without storing the message twice', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      const last = page.locator('.bubble.coach').last();
      await last.getByRole('button', { name: 'Copy' }).click();
      await see(page, 'Copied');
      assert.equal(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()), HOSTILE);

      const before = await stored();
      fake.answers.push({ reply: 'A calmer second answer.' });
      await last.getByRole('button', { name: 'Regenerate' }).click();
      await see(page, 'A calmer second answer.');
      // The page shows the reply as it streams; it is stored once complete, just after.
      await until('the new reply is stored', async () => (await stored()).at(-1)?.content === 'A calmer second answer.');
      const after = await stored();
      assert.equal(after.length, before.length, 'the reply replaced, nothing added');
      assert.deepEqual([after.at(-1)?.role, after.at(-1)?.content], ['coach', 'A calmer second answer.']);
      assert.equal(after.filter((m) => m.content === 'Show me something risky').length, 1);
      assert.equal(await page.getByText('<script>', { exact: false }).count(), 0, 'the old reply is gone from the page');
    }));

    it('keeps a draft across screens and reloads, per person', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      await box().fill('Half-written thought about nursing');
      await navigate(page, SCREENS.workbook);
      await navigate(page, SCREENS.chat);
      assert.equal(await box().inputValue(), 'Half-written thought about nursing');
      await page.reload();
      await box().waitFor();
      await until('the draft is back after a reload', async () => (await box().inputValue()) === 'Half-written thought about nursing');
      const keys = await page.evaluate(() => Object.keys((globalThis as unknown as { localStorage: Record<string, string> }).localStorage));
      assert.ok(keys.some((key) => /^mosaic:chat-draft:\d+$/.test(key)), 'kept under the account’s id');
      await box().fill('');
    }));

    it('keeps the history while Mosaic is down, says so, and recovers by itself', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      await see(page, 'A calmer second answer.');
      await suite.withServerDown(async () => {
        // Coming back to the screen asks the server again, which is gone.
        await navigate(page, SCREENS.workbook);
        await navigate(page, SCREENS.chat);
        await see(page, /Mosaic can't be reached/, 30_000);
        assert.equal(await page.getByText(/you seem to be offline|this browser is offline/i).count(), 0);
        await see(page, 'A calmer second answer.');
        await see(page, 'First line');
        // A message sent meanwhile comes back to the box, with the same words.
        await box().fill('Are you there?');
        await box().press('Enter');
        await see(page, /Your message was not sent; it is back in the box/, 30_000);
        assert.equal(await box().inputValue(), 'Are you there?');
      });
      await until('the problem clears by itself', async () => (await page.getByText(/Mosaic can't be reached/).count()) === 0, 30_000);
      await see(page, 'A calmer second answer.');
      await box().fill('');
    }));

    it('a server killed mid-reply leaves the message visible and unanswered; asking again answers it once', (t) => keepingFailures(app, t, async () => {
      const { page } = app;
      fake.answers.push({ reply: 'word '.repeat(60).trim(), chunkDelayMs: 300 });
      await box().fill('Will this survive a crash?');
      await box().press('Enter');
      await until('the reply has begun', async () => (await page.locator('.bubble.coach[aria-busy="true"]').textContent().catch(() => ''))?.includes('word') ?? false);
      await suite.killAndRestart();
      await page.reload();
      await see(page, 'Your last message has no reply yet.', 30_000);
      await see(page, 'Will this survive a crash?');
      fake.answers.push({ reply: 'It did, and here is the answer.' });
      await page.getByRole('button', { name: 'Ask again' }).click();
      await see(page, 'It did, and here is the answer.');
      const kept = await stored();
      assert.equal(kept.filter((m) => m.content === 'Will this survive a crash?').length, 1, 'the message once');
      assert.deepEqual([kept.at(-1)?.role, kept.at(-1)?.content], ['coach', 'It did, and here is the answer.']);
      assert.equal(kept.filter((m) => m.content.startsWith('word')).length, 0, 'no partial reply');
    }));

    it('reads and works at 375 px, axe clean', (t) =>
      suite.withApp(t, async (phone) => {
        await phone.page.goto(phone.baseUrl + '/');
        await startAsGuest(phone.page);
        await navigate(phone.page, SCREENS.chat);
        fake.answers.push({ reply: 'A reply with a long link https://example.org/a/very/long/path/that/should/wrap/nicely/on/a/phone and **bold**.' });
        await phone.page.getByRole('textbox', { name: 'Message to the coach' }).fill('hello from a phone');
        await phone.page.getByRole('textbox', { name: 'Message to the coach' }).press('Enter');
        await see(phone.page, 'A reply with a long link');
        await phone.checkScreen('chat-phone');
      }, PHONE));
  },
);
