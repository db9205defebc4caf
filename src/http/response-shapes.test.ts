import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { checkResponseShapes } from './response-shapes.js';

const Person = Type.Object({ id: Type.Integer(), tags: Type.Array(Type.Object({ name: Type.String() })) });

async function appReturning(body: unknown) {
  const app = Fastify({ logger: false });
  checkResponseShapes(app);
  app.get('/person', { schema: { response: { 200: Person } } }, async () => body);
  await app.ready();
  return app;
}

describe('the response-shape check the tests run with', () => {
  it('lets an answer through that its schema describes exactly', async () => {
    const app = await appReturning({ id: 1, tags: [{ name: 'a' }] });
    const response = await app.inject('/person');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { id: 1, tags: [{ name: 'a' }] });
    await app.close();
  });

  it('fails an answer carrying a field its schema lacks, at any depth, instead of dropping it silently', async () => {
    for (const body of [
      { id: 1, tags: [], addedByTheService: true },
      { id: 1, tags: [{ name: 'a', colour: 'red' }] },
    ]) {
      const app = await appReturning(body);
      const response = await app.inject('/person');
      assert.equal(response.statusCode, 500, JSON.stringify(body));
      await app.close();
    }
    // Without the check, the serializer drops the field and the answer looks fine.
    const unchecked = Fastify({ logger: false });
    unchecked.get('/person', { schema: { response: { 200: Person } } }, async () => ({ id: 1, tags: [], addedByTheService: true }));
    const response = await unchecked.inject('/person');
    assert.deepEqual(response.json(), { id: 1, tags: [] });
    await unchecked.close();
  });
});
