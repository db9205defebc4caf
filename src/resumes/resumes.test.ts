import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { docxDocument, odtDocument } from '../testing/fixtures.js';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import { seedWorkbookRun, uploadFile } from '../testing/person-data.js';
import { HEALTH_BOUND_MS, measureResponsiveness } from '../testing/responsiveness.js';
import { MAX_REVIEW_CHARS, reviewResume } from './feedback.js';

const STRONG = [
  'Professional Summary',
  'Registered nurse focused on patient care.',
  'Led a ward team of 12 nurses and reduced waiting times by 30%.',
  'Managed a $50,000 supplies budget; improved audit scores 2x in 2021.',
  'Trained 40 new staff and built a handover checklist.',
].join('\n');

describe('résumé feedback', () => {
  it('counts words, quantified results (not years), action verbs and the summary section', () => {
    const feedback = reviewResume(STRONG, { id: 1, title: 'Registered Nurse', missingSkills: ['communication'] });
    assert.equal(feedback.length.verdict, 'too_short');
    assert.equal(feedback.length.words, 41);
    assert.deepEqual(feedback.quantifiedResults.examples, ['12 nurses', '30%', '$50,000', '2x', '40 new staff']);
    assert.equal(feedback.quantifiedResults.count, 5);
    assert.deepEqual(feedback.actionVerbs.found, ['led', 'reduced', 'managed', 'improved', 'trained', 'built']);
    assert.equal(feedback.summarySection.present, true);
    assert.deepEqual(feedback.jobMatch, { id: 1, title: 'Registered Nurse', missingSkills: ['communication'] });
    assert.ok(feedback.suggestions.some((s) => s.includes('communication')));
    const weak = reviewResume('word '.repeat(1000), null);
    assert.equal(weak.length.verdict, 'too_long');
    assert.equal(weak.summarySection.present, false);
    assert.equal(weak.quantifiedResults.count, 0);
    assert.equal(reviewResume('word '.repeat(300), null).length.verdict, 'good');
  });

  it('finds a summary heading after blank lines, indented or marked up, and reads only the first MAX_REVIEW_CHARS', () => {
    assert.equal(reviewResume('\n\n\n   ## Career  Summary:\nNurse.', null).summarySection.present, true);
    assert.equal(reviewResume('Jane\n\t\tProfile\nNurse.', null).summarySection.present, true);
    assert.equal(reviewResume('In summary, a nurse.', null).summarySection.present, false);
    const late = `${'word '.repeat(MAX_REVIEW_CHARS / 5)}\nSummary\n`;
    assert.equal(reviewResume(late, null).summarySection.present, false);
    assert.equal(reviewResume(late, null).length.words, MAX_REVIEW_CHARS / 5);
  });
});

for (const backend of BACKENDS) {
  describe(`résumés on ${backend}`, () => {
    const t = useTestApp(backend);

    it('creates a version from text, lists, reads and deletes it', async () => {
      const client = t.client();
      await client.register();
      const created = await client.post('/api/resumes', { name: ' Nursing CV ', content: STRONG });
      assert.equal(created.status, 201);
      const resume = created.body.resume;
      assert.equal(resume.name, 'Nursing CV');
      assert.equal(resume.content, STRONG);
      assert.equal(resume.fileId, null);
      assert.equal(resume.jobMatchId, null);
      assert.deepEqual(resume.feedback, []);
      const list = await client.get('/api/resumes');
      assert.deepEqual(list.body.resumes, [
        { id: resume.id, name: 'Nursing CV', fileId: null, jobMatchId: null, revision: 1, createdAt: resume.createdAt, updatedAt: resume.updatedAt },
      ]);
      assert.equal((await client.get(`/api/resumes/${resume.id}`)).body.resume.content, STRONG);
      assert.equal((await client.delete(`/api/resumes/${resume.id}`)).status, 204);
      assert.equal((await client.get(`/api/resumes/${resume.id}`)).status, 404);
    });

    it('takes the text of an uploaded file; a file without text is 422', async () => {
      const client = t.client();
      await client.register();
      const docx = await uploadFile(client, docxDocument(['Summary', 'Built 3 bridges']), 'cv.docx');
      const fromFile = await client.post('/api/resumes', { name: 'From Word', fileId: docx.body.file.id });
      assert.equal(fromFile.status, 201);
      assert.equal(fromFile.body.resume.content, 'Summary\n\nBuilt 3 bridges');
      assert.equal(fromFile.body.resume.fileId, docx.body.file.id);
      const odt = await uploadFile(client, odtDocument('No extractor for this'), 'cv.odt');
      const noText = await client.post('/api/resumes', { name: 'From ODT', fileId: odt.body.file.id });
      assert.equal(noText.status, 422);
      assert.equal(noText.body.error.code, 'file_has_no_text');
      // Deleting the file keeps the version and its text.
      await client.delete(`/api/files/${docx.body.file.id}`);
      const kept = await client.get(`/api/resumes/${fromFile.body.resume.id}`);
      assert.equal(kept.body.resume.fileId, null);
      assert.equal(kept.body.resume.content, 'Summary\n\nBuilt 3 bridges');
    });

    it('needs exactly one of content and fileId, and a name', async () => {
      const client = t.client();
      await client.register();
      assert.equal((await client.post('/api/resumes', { name: 'x' })).status, 400);
      assert.equal((await client.post('/api/resumes', { name: 'x', content: 'a', fileId: 1 })).status, 400);
      assert.equal((await client.post('/api/resumes', { name: '  ', content: 'a' })).status, 400);
      assert.equal((await client.post('/api/resumes', { name: 'x', content: 'a', fileId: '1' })).status, 400);
      assert.equal((await client.post('/api/resumes', { name: 'x', fileId: 999999 })).status, 404);
      assert.equal((await client.post('/api/resumes', { name: 'x', content: 'a', jobMatchId: 999999 })).status, 404);
    });

    it('stores and returns feedback with the linked job match’s missing skills', async () => {
      const client = t.client();
      const { user } = await client.register();
      await seedWorkbookRun(t.ctx.db, user.id, { '1.1': 'patient care and empathy' });
      const nurse = (await client.post('/api/jobs/matches/refresh')).body.matches.find(
        (m: { roleId: string }) => m.roleId === 'registered-nurse',
      );
      const created = await client.post('/api/resumes', { name: 'For the ward', content: STRONG, jobMatchId: nurse.id });
      assert.equal(created.body.resume.jobMatchId, nurse.id);
      const response = await client.post(`/api/resumes/${created.body.resume.id}/feedback`);
      assert.equal(response.status, 201);
      const feedback = response.body.feedback;
      assert.equal(feedback.resumeId, created.body.resume.id);
      assert.deepEqual(feedback.jobMatch, {
        id: nurse.id,
        title: 'Registered Nurse',
        missingSkills: ['clinical assessment', 'medication administration', 'communication', 'teamwork', 'empathy'],
      });
      assert.equal(feedback.actionVerbs.count, 6);
      const again = await client.get(`/api/resumes/${created.body.resume.id}`);
      assert.deepEqual(again.body.resume.feedback, [feedback]);
    });

    it('reviews a résumé of 100,000 blank lines without holding /health', async () => {
      const client = await t.registeredClient();
      const content = `Jane Doe${'\n'.repeat(99_000)}Registered nurse.`;
      const created = await client.post('/api/resumes', { name: 'Blank lines', content });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const run = await measureResponsiveness(t.app, () => client.post(`/api/resumes/${created.body.resume.id}/feedback`));
      assert.equal(run.result.status, 201);
      assert.equal(run.result.body.feedback.summarySection.present, false);
      assert.ok(run.maxHealthMs < HEALTH_BOUND_MS, `/health took ${run.maxHealthMs.toFixed(0)} ms`);
      assert.ok(run.maxEventLoopDelayMs < HEALTH_BOUND_MS, `event loop blocked ${run.maxEventLoopDelayMs.toFixed(0)} ms`);
    });
  });
}
