import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { PHONE, type AppBrowser } from '../testing/browser/app-page.js';
import { navigate, SCREENS, see, startAsGuest, until } from '../testing/browser/mosaic-ui.js';
import type { PageWindow } from '../testing/browser/page-globals.js';
import { describeInBrowser } from '../testing/browser/suite.js';

const FIRST = [
  'Jane Doe',
  'Summary',
  'Registered nurse who led a ward team of 12 nurses.',
  'Reduced waiting times by 30% and managed a $50,000 budget.',
  'Taught Year 9 students first aid.',
].join('\n');

async function openResumes(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl + '/');
  await startAsGuest(page);
  await navigate(page, SCREENS.resumes);
  await page.getByRole('heading', { level: 1, name: 'Résumés' }).waitFor();
}

async function createResume(page: Page, name: string, text = FIRST): Promise<void> {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Résumé text').fill(text);
  await page.getByRole('button', { name: 'Create and get feedback' }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

const editor = (page: Page) => page.getByLabel('Text', { exact: true });

async function serverResume(app: AppBrowser): Promise<{ id: number; revision: number; content: string }> {
  const list = await (await app.api()).request('GET', '/api/resumes');
  const id = list.body.resumes[0].id as number;
  return (await (await app.api()).request('GET', `/api/resumes/${id}`)).body.resume;
}

describeInBrowser('the web app in Chromium: résumés', {}, (suite) => {
  it('creates, edits and saves a version, compares two versions, brings new feedback into view, and downloads', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await openResumes(page, app.baseUrl);
      assert.equal(await page.title(), 'Résumés · Mosaic');
      await see(page, 'No résumés yet');
      await createResume(page, 'Nursing CV');
      await see(page, '1 résumé');

      // The new feedback is scrolled to and takes the focus, so it is seen and read out.
      const feedbackHeading = page.getByRole('heading', { name: 'Feedback', exact: true });
      await until('the feedback heading to take the focus', () =>
        page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.textContent === 'Feedback'),
      );
      await until('the feedback to be in view', async () => {
        const box = await feedbackHeading.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= app.viewport.height;
      });
      // A check passes or gives advice, never both; "Year 9" is no quantified result.
      const checks = page.locator('.checklist > li');
      for (let i = 0; i < (await checks.count()); i += 1) {
        const item = checks.nth(i);
        const done = (await item.locator('.visually-hidden').innerText()).startsWith('Done');
        assert.equal(await item.locator('.advice').count(), done ? 0 : 1, await item.innerText());
      }
      await see(page, 'Quantified results: 3 (12 nurses, 30%, $50,000)');

      // Edit and save: version 2.
      await editor(page).fill(FIRST.replace('12 nurses', '14 nurses') + '\nTrained 40 new staff.');
      await see(page, 'Unsaved changes');
      await page.getByRole('button', { name: 'Save as new version' }).click();
      await see(page, 'Saved as version 2');
      const saved = await serverResume(app);
      assert.equal(saved.revision, 2);
      assert.match(saved.content, /14 nurses[\s\S]*Trained 40 new staff\.$/);

      // The comparison marks deletions and insertions with <del>/<ins> and words, not colour alone.
      const diff = page.getByRole('region', { name: /^Changes: / });
      await diff.waitFor();
      assert.equal(await diff.locator('del').first().textContent(), '[deleted: 12]');
      assert.equal(await diff.locator('ins').first().textContent(), '[inserted: 14]');
      await see(page, '2 versions kept');

      // Reviewing again brings the new feedback into view.
      await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      await page.getByRole('button', { name: 'Review the saved version again' }).click();
      await until('the new feedback to take the focus and be in view', async () => {
        const focused = await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.textContent === 'Feedback');
        const box = await feedbackHeading.boundingBox();
        return focused && box !== null && box.y >= 0 && box.y + box.height <= app.viewport.height;
      });
      await see(page, 'Quantified results: 4');
      await app.checkScreen('resumes-editor');

      // Downloads: a PDF by clicking its link, Word and text by their links.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download Nursing CV, version 2, as PDF' }).first().click(),
      ]);
      assert.equal(download.suggestedFilename(), 'Nursing CV (version 2).pdf');
      for (const [label, type] of [
        ['Word', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        ['Plain text', 'text/plain; charset=utf-8'],
      ] as const) {
        const href = await page.getByRole('link', { name: `Download Nursing CV, version 1, as ${label}` }).getAttribute('href');
        const response = await app.context.request.get(app.baseUrl + href!);
        assert.equal(response.status(), 200);
        assert.equal(response.headers()['content-type'], type);
        assert.match(response.headers()['content-disposition']!, /^attachment; filename="Nursing CV \(version 1\)\./);
      }
    }));

  it('a save from a stale tab shows the conflict with both versions, and "save mine" keeps it as the next version', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await openResumes(page, app.baseUrl);
      await createResume(page, 'Two tabs');
      // Another tab (here: the API with the same session) saves version 2 meanwhile.
      const { id } = await serverResume(app);
      const other = await (await app.api()).request('PUT', `/api/resumes/${id}`, { revision: 1, content: 'Saved in the other tab.' });
      assert.equal(other.status, 200);

      await editor(page).fill('Written in this tab.');
      await page.getByRole('button', { name: 'Save as new version' }).click();
      const conflict = page.getByRole('alert').filter({ hasText: 'This résumé changed elsewhere' });
      await conflict.waitFor();
      await conflict.getByText('Text of version 2').click();
      await see(page, 'Saved in the other tab.');
      assert.equal(await editor(page).inputValue(), 'Written in this tab.', 'my text is kept');
      assert.equal((await serverResume(app)).content, 'Saved in the other tab.', 'nothing overwritten');
      await app.checkScreen('resumes-conflict');

      await conflict.getByRole('button', { name: 'Save mine as the next version' }).click();
      await see(page, 'Saved as version 3');
      const kept = await serverResume(app);
      assert.deepEqual([kept.revision, kept.content], [3, 'Written in this tab.']);
    }));

  it('is usable at 375 px: rename, duplicate, delete', (t) =>
    suite.withApp(
      t,
      async (app) => {
        const { page } = app;
        await openResumes(page, app.baseUrl);
        await createResume(page, 'A résumé with a rather long name that has to wrap on a phone');
        await app.checkScreen('resumes-phone');
        await page.getByRole('button', { name: 'Rename' }).click();
        await page.getByLabel('New name').fill('Short name');
        await page.getByRole('button', { name: 'Save name' }).click();
        await page.getByRole('heading', { level: 2, name: 'Short name' }).waitFor();
        await page.getByRole('button', { name: 'Duplicate' }).click();
        await page.getByRole('heading', { level: 2, name: 'Short name (copy)' }).waitFor();
        await see(page, '2 résumés');
        await page.getByRole('button', { name: 'Delete' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Delete résumé' }).click();
        await see(page, '1 résumé');
        const names = (await (await app.api()).request('GET', '/api/resumes')).body.resumes.map((r: { name: string }) => r.name);
        assert.deepEqual(names, ['Short name']);
        await app.checkScreen('resumes-phone-after-delete');
      },
      PHONE,
    ));

  it("keeps the list while Mosaic can't be reached and recovers by itself when it is back", (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await openResumes(page, app.baseUrl);
      await createResume(page, 'Kept while away');
      await suite.withServerDown(async () => {
        // Leave and come back: the list is asked for again and the request fails.
        await navigate(page, SCREENS.workbook);
        await navigate(page, SCREENS.resumes);
        await see(page, "Mosaic can't be reached right now", 30_000);
        await see(page, 'Kept while away');
        assert.equal(await page.getByText('This browser is offline').count(), 0);
      });
      await until("the can't-be-reached notice to go by itself", async () => (await page.getByText("Mosaic can't be reached").count()) === 0, 30_000);
      await see(page, 'Kept while away');
    }));
});
