import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp, type TestClient, type TestResponse } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { seedWorkbookRun, uploadFile } from '../testing/person-data.js';

// Another person's file, match or résumé id must answer exactly like an id that does not
// exist (404 not_found), for every route and method, and must change nothing.

for (const backend of BACKENDS) {
  describe(`ownership on ${backend}`, () => {
    let t: TestApp;
    let owner: TestClient;
    let stranger: TestClient;
    const ids = { file: 0, match: 0, resume: 0 };

    before(async () => {
      t = await createTestApp(backend);
      owner = t.client();
      const { user } = await owner.register();
      stranger = t.client();
      await stranger.register();
      ids.file = (await uploadFile(owner, Buffer.from('patient care, empathy'), 'cv.txt')).body.file.id;
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'patient care' });
      ids.match = (await owner.post('/api/jobs/matches/refresh')).body.matches[0].id;
      ids.resume = (await owner.post('/api/resumes', { name: 'CV', content: 'Led a team.' })).body.resume.id;
    });
    after(() => t.close());

    const cases: { name: string; call: (client: TestClient) => Promise<TestResponse> }[] = [
      { name: 'GET file content', call: (c) => c.get(`/api/files/${ids.file}/content`) },
      { name: 'DELETE file', call: (c) => c.delete(`/api/files/${ids.file}`) },
      { name: 'POST résumé from the file', call: (c) => c.post('/api/resumes', { name: 'x', fileId: ids.file }) },
      { name: 'GET match', call: (c) => c.get(`/api/jobs/matches/${ids.match}`) },
      { name: 'PATCH match', call: (c) => c.patch(`/api/jobs/matches/${ids.match}`, { status: 'saved' }) },
      { name: 'POST résumé linked to the match', call: (c) => c.post('/api/resumes', { name: 'x', content: 'y', jobMatchId: ids.match }) },
      { name: 'GET résumé', call: (c) => c.get(`/api/resumes/${ids.resume}`) },
      { name: 'DELETE résumé', call: (c) => c.delete(`/api/resumes/${ids.resume}`) },
      { name: 'POST résumé feedback', call: (c) => c.post(`/api/resumes/${ids.resume}/feedback`) },
    ];
    for (const { name, call } of cases) {
      it(`${name} of another user answers 404`, async () => {
        const response = await call(stranger);
        assert.equal(response.status, 404);
        assert.equal(response.body.error.code, 'not_found');
      });
    }

    it("lists never show another user's rows, and the owner's rows are untouched", async () => {
      assert.deepEqual((await stranger.get('/api/files')).body.files, []);
      assert.deepEqual((await stranger.get('/api/jobs/matches')).body.matches, []);
      assert.deepEqual((await stranger.get('/api/resumes')).body.resumes, []);
      const exported = (await stranger.get('/api/me/export')).body;
      assert.deepEqual([exported.files, exported.jobMatches, exported.resumes], [[], [], []]);
      assert.equal((await owner.get(`/api/files/${ids.file}/content`)).status, 200);
      const match = (await owner.get(`/api/jobs/matches/${ids.match}`)).body.match;
      assert.equal(match.status, null);
      assert.deepEqual(match.history, []);
      assert.deepEqual((await owner.get(`/api/resumes/${ids.resume}`)).body.resume.feedback, []);
    });
  });
}
