// The web app's API client is checked against the server: every method and path it calls
// (web/src/api/routes.ts) must be a route of the real application, and the rules the forms
// show before submitting must be the server's own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HTTPMethods } from 'fastify';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.js';
import { MESSAGE_MAX_CHARS } from '../chat/service.js';
import { MATCH_STATUSES } from '../jobs/service.js';
import { JOB_STATUSES } from '../jobs/statuses.js';
import { JOB_FIELD_MAX } from '../jobs/tracked-jobs.js';
import { ANSWER_MAX_CHARS } from '../ps101/service.js';
import { useTestApp } from '../testing/app.js';
import { BACKENDS } from '../testing/databases.js';
import * as web from '../../web/src/api/routes.js';

for (const backend of BACKENDS) {
  describe(`web API client against the server's routes on ${backend}`, () => {
    const t = useTestApp(backend);

    it('calls only routes the server has, each with its method', () => {
      const entries = Object.entries(web.API);
      assert.ok(entries.length >= 30, 'the client covers the API');
      const missing = entries.filter(([, route]) => !t.app.hasRoute({ method: route.method as HTTPMethods, url: route.path }));
      assert.deepEqual(missing, [], `client routes missing on the server: ${JSON.stringify(missing)}`);
    });

    it('would notice a route the server does not have', () => {
      assert.equal(t.app.hasRoute({ method: 'GET', url: '/api/ps101/no-such-route' }), false);
      assert.equal(t.app.hasRoute({ method: 'DELETE', url: '/api/ps101' }), false, 'the method counts, not only the path');
    });

    it('fills path parameters the way the routes expect', async () => {
      const client = await t.registeredClient();
      const response = await client.get(web.pathOf(web.API.workbookRun, { id: 999_999 }));
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'not_found');
      assert.throws(() => web.pathOf(web.API.workbookRun), /missing path parameter id/);
    });
  });
}

describe('rules the web app shows before submitting', () => {
  it('are the server’s', () => {
    assert.deepEqual(web.PASSWORD_RULES, { minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
    assert.deepEqual([...web.MATCH_STATUSES], [...MATCH_STATUSES]);
    assert.deepEqual([...web.JOB_STATUSES], [...JOB_STATUSES]);
    assert.deepEqual(web.JOB_FIELD_MAX, JOB_FIELD_MAX);
    assert.equal(web.ANSWER_MAX_CHARS, ANSWER_MAX_CHARS);
    assert.equal(web.MESSAGE_MAX_CHARS, MESSAGE_MAX_CHARS);
  });
});
