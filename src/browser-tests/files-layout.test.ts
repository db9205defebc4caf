import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PHONE } from '../testing/browser/app-page.js';
import { SCREENS, navigate, see, startAsGuest, until } from '../testing/browser/mosaic-ui.js';
import type { PageWindow } from '../testing/browser/page-globals.js';
import { describeInBrowser } from '../testing/browser/suite.js';
import { resumePdf } from '../testing/browser/uploads.js';
import { docxDocument } from '../testing/fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describeInBrowser('the web app in Chromium: files at 375 px', {}, (suite) => {
  it('reads at 375 px with human type names, uploads two chosen files one after another, and states the limit first', (t) =>
    suite.withApp(
      t,
      async (app) => {
        const { page } = app;
        await page.goto(app.baseUrl + '/');
        await startAsGuest(page);
        await navigate(page, SCREENS.files);
        await until('the Files title', async () => (await page.title()) === 'Files · Mosaic');
        // The limit is stated before anyone tries (from the server's config: 10 MB by default).
        await see(page, /Up to 10\.0 MB per file/);

        await page.getByLabel('Choose files to upload').setInputFiles([
          { name: 'A résumé with a very long name for a phone screen, version twelve final FINAL.docx', mimeType: DOCX, buffer: docxDocument(['Jane Doe', 'Led a team']) },
          { name: 'cover-letter.pdf', mimeType: 'application/pdf', buffer: resumePdf() },
        ]);
        const uploads = page.getByTestId('upload');
        await until('both uploads to finish', async () => (await uploads.filter({ hasText: 'Uploaded' }).count()) === 2);
        assert.equal(await uploads.count(), 2, 'each chosen file has its own outcome');
        const cards = page.getByRole('list', { name: 'Your files' }).getByRole('listitem');
        await cards.nth(1).waitFor();
        assert.equal(await cards.count(), 2);
        const files = (await (await app.api()).request('GET', '/api/files')).body.files as { name: string }[];
        assert.equal(files.length, 2, 'both were stored');

        // Human type names, never a media type.
        await see(page, 'Word document');
        await see(page, 'PDF');
        assert.ok(!(await page.content()).includes('application/vnd.openxmlformats'), 'no media type shown');

        // No letter-by-letter wrapping: the name takes the card's width, which is the screen's.
        const name = cards.first().locator('.file-name');
        const box = await name.boundingBox();
        assert.ok(box && box.width > 250, `the file name is ${box?.width} px wide`);
        assert.ok(box.height < 90, `the name is ${box.height} px tall: it wraps onto more than three lines`);
        await app.checkScreen('files-phone');

        // A file over the limit is refused here, in words, without being sent.
        await page.getByLabel('Choose files to upload').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20) });
        await see(page, /huge\.pdf.*Not uploaded/);
        await see(page, 'This file is too large: files can be at most 10.0 MB.');
        assert.equal((await (await app.api()).request('GET', '/api/files')).body.files.length, 2, 'nothing more stored');
        await app.checkScreen('files-phone-refused');
      },
      PHONE,
    ));

  it('uploads two files dropped at once, each with its outcome', (t) =>
    suite.withApp(t, async (app) => {
      const { page } = app;
      await page.goto(app.baseUrl + '/');
      await startAsGuest(page);
      await navigate(page, SCREENS.files);
      await see(page, /Up to 10\.0 MB per file/);
      // A real drop: a DataTransfer holding two files, dispatched on the drop zone.
      const drop = await page.evaluateHandle(() => {
        const window = globalThis as unknown as PageWindow & { DataTransfer: new () => { items: { add(file: unknown): void } }; File: new (parts: string[], name: string, options: object) => unknown };
        const transfer = new window.DataTransfer();
        transfer.items.add(new window.File(['First notes, plain text.'], 'notes-one.txt', { type: 'text/plain' }));
        transfer.items.add(new window.File(['# Second\n\nMarkdown notes.'], 'notes-two.md', { type: 'text/markdown' }));
        return transfer;
      });
      await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: drop });
      const uploads = page.getByTestId('upload');
      await until('both uploads to finish', async () => (await uploads.filter({ hasText: 'Uploaded' }).count()) === 2);
      assert.equal(await uploads.count(), 2);
      const files = (await (await app.api()).request('GET', '/api/files')).body.files as { name: string }[];
      assert.deepEqual(files.map((f) => f.name).sort(), ['notes-one.txt', 'notes-two.md']);
      await see(page, 'Plain text');
      await see(page, 'Markdown');
      await app.checkScreen('files-dropped');
    }));
});
