import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS } from './databases.js';
import { contractViolation, formatReport, fuzzBackend } from './fuzz.js';
import type { TestResponse } from './app.js';

const answer = (status: number, body: string, type = 'application/json; charset=utf-8'): TestResponse => ({
  status,
  headers: { 'content-type': type },
  body: type.startsWith('application/json') ? JSON.parse(body) : body,
  raw: Buffer.from(body),
});

describe('the fuzzer’s contract check', () => {
  it('flags 5xx, stack traces, foreign error shapes and 405 without Allow; passes the contract', () => {
    assert.equal(contractViolation(answer(404, '{"error":{"code":"not_found","message":"No such resource."}}'), 'GET'), null);
    assert.equal(contractViolation(answer(200, '{"ok":true}'), 'GET'), null);
    assert.match(contractViolation(answer(500, '{"error":{"code":"internal_error","message":"x"}}'), 'GET')!, /status 500/);
    assert.match(contractViolation(answer(414, '{"error":"Bad Request","code":"FST_ERR_MAX_PARAM_LENGTH","statusCode":414}'), 'GET')!, /not \{"error"/);
    assert.match(contractViolation(answer(400, 'Bad Request', 'text/plain'), 'GET')!, /content type/);
    assert.match(contractViolation(answer(400, '{"error":{"code":"x","message":"Error: boom\\n    at Object.<anonymous> (/app/x.js:1:2)"}}'), 'GET')!, /stack trace/);
    assert.match(contractViolation(answer(405, '{"error":{"code":"method_not_allowed","message":"no"}}'), 'PUT')!, /Allow/);
  });
});

for (const backend of BACKENDS) {
  describe(`a fixed-seed fuzz run on ${backend}`, () => {
    it('answers 300 hostile requests across every route inside the contract', async () => {
      const report = await fuzzBackend({ backend, seed: 20261125, requests: 300 });
      console.log(formatReport(report).split('\n')[0]);
      assert.equal(report.requests, 300);
      assert.ok(report.counts.size >= 20, `${report.counts.size} routes reached`);
      assert.deepEqual(report.failures, [], formatReport(report));
    });
  });
}
