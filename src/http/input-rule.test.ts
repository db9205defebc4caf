import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestApp, type TestClient } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { multipartBody } from '../testing/fixtures.js';
import { countRows, seedWorkbookRun } from '../testing/person-data.js';

const PASSWORD = 'correct horse battery';
const BAD_TEXT: [string, string][] = [
  ['a NUL character', 'before\u0000after'],
  ['a lone high surrogate', 'before\ud800after'],
  ['a lone low surrogate', '\udfff'],
];

/** A JSON body whose string holds the raw byte 0xFF: no JSON escape can express it. */
function invalidUtf8Json(field: string): Buffer {
  return Buffer.concat([Buffer.from(`{"${field}":"ab`), Buffer.from([0xff, 0xfe]), Buffer.from('cd"}')]);
}

function assertRefused(response: { status: number; body: any }, label: string) {
  assert.equal(response.status, 400, `${label}: ${JSON.stringify(response.body).slice(0, 200)}`);
  assert.equal(response.body.error.code, 'invalid_text', label);
  assert.equal(typeof response.body.error.message, 'string', label);
}

for (const backend of BACKENDS) {
  describe(`the input rule for text on ${backend}`, () => {
    const t = useTestApp(backend);

    async function withMatch(client: TestClient): Promise<number> {
      const me = await client.get('/api/auth/me');
      await seedWorkbookRun(t.ctx.db, me.body.user.id, { '1.1': 'sql and spreadsheets' });
      return (await client.post('/api/jobs/matches/refresh')).body.matches[0].id;
    }

    it('refuses NUL and lone surrogates in every kind of text field, storing nothing', async () => {
      const client = await t.registeredClient();
      const matchId = await withMatch(client);
      const usersBefore = await countRows(t.ctx.db, 'users');
      const workbookBefore = (await client.get('/api/ps101')).body;
      const [messagesBefore, resumesBefore, filesBefore] = [await countRows(t.ctx.db, 'chat_messages'), await countRows(t.ctx.db, 'resumes'), await countRows(t.ctx.db, 'files')];
      for (const [label, text] of BAD_TEXT) {
        assertRefused(await t.client().post('/api/auth/register', { email: `a${text}@example.org`, password: PASSWORD }), `register email with ${label}`);
        assertRefused(await t.client().post('/api/auth/register', { email: 'fresh@example.org', password: `${PASSWORD}${text}` }), `password with ${label}`);
        assertRefused(await t.client().post('/api/auth/login', { email: `a${text}@example.org`, password: PASSWORD }), `login email with ${label}`);
        assertRefused(await client.post('/api/chat/messages', { content: text }), `chat with ${label}`);
        assertRefused(await client.post('/api/resumes', { name: 'CV', content: `Summary ${text}` }), `résumé content with ${label}`);
        assertRefused(await client.post('/api/resumes', { name: `CV ${text}`, content: 'Summary' }), `résumé name with ${label}`);
        assertRefused(await client.patch(`/api/jobs/matches/${matchId}`, { status: 'saved', notes: text }), `notes with ${label}`);
        assertRefused(await client.put('/api/ps101', { revision: workbookBefore.revision, answers: { '1.1': text } }), `workbook answer with ${label}`);
        assertRefused(await client.put('/api/ps101', { revision: workbookBefore.revision, answers: { [`1.1${text}`]: 'x' } }), `workbook key with ${label}`);
        // A lone surrogate reaches a URL only as the invalid UTF-8 bytes it would encode to.
        const query = text.includes('\0') ? '%00' : '%ED%A0%80';
        assertRefused(await client.get(`/api/chat/messages?before=ab${query}`), `query with ${label}`);
        const upload = multipartBody(Buffer.from('plain text'), `cv${text.replace(/[\ud800-\udfff]/g, '')}.txt`);
        if (text.includes('\0')) {
          assertRefused(await client.request({ method: 'POST', url: '/api/files', ...upload }), `file name with ${label}`);
        }
        const boundary = 'fieldboundary';
        const withField = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n`),
          Buffer.from(text.includes('\0') ? 'a\0b' : '', 'utf8'),
          text.includes('\0') ? Buffer.alloc(0) : Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cv.txt"\r\nContent-Type: text/plain\r\n\r\nplain text\r\n--${boundary}--\r\n`),
        ]);
        const field = await client.request({ method: 'POST', url: '/api/files', payload: withField, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
        if (text.includes('\0')) assertRefused(field, `multipart field with ${label}`);
        // busboy decodes a field's bytes (here a lone surrogate's invalid UTF-8) to U+FFFD before
        // we see them, so the unused field arrives as valid text and the upload is stored.
        else assert.equal(field.status, 201, `multipart field with ${label}`);
      }
      assert.equal(await countRows(t.ctx.db, 'users'), usersBefore);
      assert.equal(await countRows(t.ctx.db, 'chat_messages'), messagesBefore);
      assert.equal(await countRows(t.ctx.db, 'resumes'), resumesBefore);
      assert.equal(await countRows(t.ctx.db, 'files'), filesBefore + 2, 'only the two uploads whose field was replaced text');
      assert.deepEqual((await client.get('/api/ps101')).body, workbookBefore);
      assert.equal((await client.get(`/api/jobs/matches/${matchId}`)).body.match.notes, null);
    });

    it('refuses a JSON body that is not valid UTF-8 instead of replacing the bytes', async () => {
      const client = await t.registeredClient();
      const messagesBefore = await countRows(t.ctx.db, 'chat_messages');
      for (const [url, method, field] of [
        ['/api/chat/messages', 'POST', 'content'],
        ['/api/auth/register', 'POST', 'email'],
        ['/api/ps101', 'PUT', 'revision'],
      ] as const) {
        const response = await client.request({ method, url, payload: invalidUtf8Json(field), headers: { 'content-type': 'application/json' } });
        assertRefused(response, `${method} ${url}`);
        assert.match(response.body.error.message, /UTF-8/);
      }
      assert.equal(await countRows(t.ctx.db, 'chat_messages'), messagesBefore);
      // Valid multi-byte text (accents, emoji, right-to-left script) passes untouched.
      const text = 'Café ☕ 👩🏽‍💻 مرحبا';
      const sent = await client.post('/api/chat/messages', { content: text });
      assert.equal(sent.status, 201);
      assert.equal(sent.body.message.content, text);
    });

    it('takes path ids as plain decimal digits up to 2^53-1 only, answering 404 otherwise', async () => {
      const client = await t.registeredClient();
      const created = await client.post('/api/resumes', { name: 'CV', content: 'Summary' });
      const id = created.body.resume.id as number;
      assert.equal((await client.get(`/api/resumes/${id}`)).status, 200);
      const notIds = ['0', '-1', `0${id}`, `${id}.0`, '1e3', '1e20', '0x10', 'Infinity', 'NaN', '%20' + id, '9007199254740992',
        '9223372036854775807', '9223372036854775808', '18446744073709551616', '9'.repeat(80), 'abc', '%00'];
      for (const notId of notIds) {
        for (const [method, url] of [
          ['GET', `/api/resumes/${notId}`],
          ['DELETE', `/api/resumes/${notId}`],
          ['POST', `/api/resumes/${notId}/feedback`],
          ['GET', `/api/files/${notId}/content`],
          ['DELETE', `/api/files/${notId}`],
          ['GET', `/api/jobs/matches/${notId}`],
          ['PATCH', `/api/jobs/matches/${notId}`],
          ['GET', `/api/ps101/runs/${notId}`],
        ] as const) {
          const response = await client.request({ method, url, ...(method === 'PATCH' ? { payload: { status: 'saved' } } : {}) });
          assert.equal(response.status, 404, `${method} ${url}: ${JSON.stringify(response.body)}`);
          assert.equal(response.body.error.code, 'not_found', `${method} ${url}`);
        }
      }
      // The largest id both backends hold is an id (of nothing), not an error.
      assert.equal((await client.get(`/api/resumes/${Number.MAX_SAFE_INTEGER}`)).status, 404);
      assert.equal((await client.get(`/api/resumes/${id}`)).status, 200, 'nothing was deleted');
    });

    it('takes body ids as JSON integers up to 2^53-1 only, answering 400 otherwise', async () => {
      const client = await t.registeredClient();
      const resumesBefore = await countRows(t.ctx.db, 'resumes');
      for (const fileId of [0, -1, 1.5, 2 ** 53, 2 ** 63, 1e20, '1', '1e20', null, true, [], {}]) {
        const response = await client.post('/api/resumes', { name: 'CV', fileId });
        assert.equal(response.status, 400, `fileId ${JSON.stringify(fileId)}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error.code, 'invalid_input');
      }
      for (const raw of ['1e400', '-0', '99999999999999999999999']) {
        const response = await client.request({ method: 'POST', url: '/api/resumes', payload: `{"name":"CV","fileId":${raw}}`, headers: { 'content-type': 'application/json' } });
        assert.equal(response.status, 400, `fileId ${raw}`);
      }
      const missing = await client.post('/api/resumes', { name: 'CV', fileId: Number.MAX_SAFE_INTEGER });
      assert.equal(missing.status, 404, 'a well-formed id of nothing is 404');
      assert.equal(await countRows(t.ctx.db, 'resumes'), resumesBefore);
    });

    it('normalizes emails (NFKC, trimmed, lower-cased) and refuses invisible characters', async () => {
      const usersBefore = await countRows(t.ctx.db, 'users');
      const first = await t.client().post('/api/auth/register', { email: 'ｊｏｓｅ@Example.org', password: PASSWORD });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.user.email, 'jose@example.org', 'full-width letters become ASCII');
      const lookAlike = await t.client().post('/api/auth/register', { email: ' JOSE@EXAMPLE.ORG ', password: PASSWORD });
      assert.equal(lookAlike.status, 409);
      const composed = await t.client().post('/api/auth/register', { email: 'rene\u0301@example.org', password: PASSWORD });
      assert.equal(composed.body.user.email, 'ren\u00e9@example.org', 'a combining accent is composed');
      assert.equal((await t.client().post('/api/auth/register', { email: 'ren\u00e9@example.org', password: PASSWORD })).status, 409);
      assert.equal((await t.client().post('/api/auth/login', { email: 'RENE\u0301@example.org', password: PASSWORD })).status, 200);
      assert.equal((await t.client().post('/api/auth/login', { email: 'ｊｏｓｅ@example.org', password: PASSWORD })).status, 200);
      for (const invisible of ['\u200b', '\u00ad', '\u200e', '\u202e', '\u2066', '\ufeff', '\u2060', '\u3164', '\u0007', '\u2028', '\ue000']) {
        for (const url of ['/api/auth/register', '/api/auth/login']) {
          const response = await t.client().post(url, { email: `jo${invisible}se@example.org`, password: PASSWORD });
          assert.equal(response.status, 400, `${url} U+${invisible.codePointAt(0)!.toString(16)}`);
          assert.equal(response.body.error.code, 'invalid_input');
          assert.match(response.body.error.message, /invisible or control/);
        }
      }
      assert.equal(await countRows(t.ctx.db, 'users'), usersBefore + 2);
    });
  });
}
