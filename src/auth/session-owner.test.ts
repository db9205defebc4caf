import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';

// Issue 27 item 8: a page of account A names A in `X-Mosaic-User`; once the browser's cookie
// belongs to B (A's session ended, B logged in on the same browser), A's page and A's queued
// edits are refused instead of reading or writing B's workbook.

for (const backend of BACKENDS) {
  describe(`requests name the account they are for, on ${backend}`, () => {
    const t = useTestApp(backend);

    it("A's queued edit sent with B's cookie is refused with 401 session_changed, and B's workbook is untouched", async () => {
      const browser = t.client();
      const a = await browser.register();
      await browser.post('/api/auth/logout-all');
      const b = await browser.register();
      const saved = await browser.put('/api/ps101', { revision: 0, answers: { '1.1': "B's own answer" } }, { 'x-mosaic-user': String(b.user.id) });
      assert.equal(saved.status, 200);

      const fromA = await browser.put('/api/ps101', { revision: 1, answers: { '1.1': "A's queued edit" } }, { 'x-mosaic-user': String(a.user.id) });
      assert.equal(fromA.status, 401);
      assert.equal(fromA.body.error.code, 'session_changed');
      const readByA = await browser.get('/api/ps101', { 'x-mosaic-user': String(a.user.id) });
      assert.equal(readByA.status, 401);
      assert.equal(JSON.stringify(readByA.body).includes("B's own answer"), false);

      const workbook = await browser.get('/api/ps101', { 'x-mosaic-user': String(b.user.id) });
      assert.equal(workbook.status, 200);
      assert.deepEqual(workbook.body.answers, { '1.1': "B's own answer" });
      // Without the header (curl, older pages) the cookie alone decides, as before.
      assert.equal((await browser.get('/api/ps101')).status, 200);
      // B's session is not ended by A's refused request.
      assert.equal((await browser.get('/api/auth/me')).body.user.id, b.user.id);
    });

    it('a malformed header is refused too', async () => {
      const browser = await t.registeredClient();
      for (const header of ['', 'abc', '1 ', '-1']) {
        const response = await browser.get('/api/ps101', { 'x-mosaic-user': header });
        assert.equal(response.status, 401, JSON.stringify(header));
      }
    });
  });
}
