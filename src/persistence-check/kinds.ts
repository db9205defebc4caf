import { createHash, randomBytes } from 'node:crypto';
import { describe, isMissingRoute, type CanaryClient, type CanaryResponse } from './client.js';

export type Written = { status: 'written'; data: Record<string, string> } | { status: 'skipped'; reason: string };
export interface Outcome {
  ok: boolean;
  detail: string;
}

/**
 * One kind of data the API holds. `write` stores one piece through the API before a
 * redeploy and says what to look for; `check` looks for it afterwards. A new kind of data is
 * one more entry in `DATA_KINDS`.
 */
export interface DataKind {
  name: string;
  write(client: CanaryClient): Promise<Written>;
  check(client: CanaryClient, data: Record<string, string>): Promise<Outcome>;
}

export const NOT_SERVED = 'not served by this deployment';

class KindFailure extends Error {}

/** The response, or a failure that names the request; a route the deployment lacks means "skipped". */
function expectOk(response: CanaryResponse, what: string, allowed: number[] = []): CanaryResponse {
  if ((response.status >= 200 && response.status < 300) || allowed.includes(response.status)) return response;
  throw new KindFailure(`${what}: ${describe(response)}`);
}

const canaryText = (what: string) => `persistence canary ${what} ${new Date().toISOString()} ${randomBytes(6).toString('hex')} ✓`;
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

const workbook: DataKind = {
  name: 'workbook answer',
  async write(client) {
    const current = await client.request('GET', '/api/ps101');
    if (isMissingRoute(current)) return { status: 'skipped', reason: NOT_SERVED };
    const revision = expectOk(current, 'GET /api/ps101').body?.revision;
    const answer = canaryText('answer');
    expectOk(await client.request('PUT', '/api/ps101', { answers: { '1.1': answer }, revision }), 'PUT /api/ps101');
    return { status: 'written', data: { answer } };
  },
  async check(client, data) {
    const response = expectOk(await client.request('GET', '/api/ps101'), 'GET /api/ps101');
    const found = response.body?.answers?.['1.1'];
    return found === data.answer
      ? { ok: true, detail: 'answer 1.1 is as written' }
      : { ok: false, detail: `answer 1.1 is ${JSON.stringify(found)}, expected ${JSON.stringify(data.answer)}` };
  },
};

const chat: DataKind = {
  name: 'chat message',
  async write(client) {
    const content = canaryText('message');
    const response = await client.request('POST', '/api/chat/messages', { content });
    if (isMissingRoute(response)) return { status: 'skipped', reason: NOT_SERVED };
    // With no coach configured the reply fails (503 coach_unavailable), but the message is stored.
    if (response.status === 503 && response.body?.error?.code !== 'coach_unavailable') expectOk(response, 'POST /api/chat/messages');
    expectOk(response, 'POST /api/chat/messages', [503]);
    return { status: 'written', data: { content } };
  },
  async check(client, data) {
    const response = expectOk(await client.request('GET', '/api/chat/messages'), 'GET /api/chat/messages');
    return JSON.stringify(response.body).includes(JSON.stringify(data.content))
      ? { ok: true, detail: 'the message is listed' }
      : { ok: false, detail: 'the message is missing from GET /api/chat/messages' };
  },
};

const file: DataKind = {
  name: 'file',
  async write(client) {
    const text = `${canaryText('file')}\n`;
    const name = `canary-${randomBytes(4).toString('hex')}.txt`;
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'text/plain' }), name);
    const response = await client.request('POST', '/api/files', form);
    if (isMissingRoute(response)) return { status: 'skipped', reason: NOT_SERVED };
    const body = expectOk(response, 'POST /api/files').body;
    const id = body?.file?.id;
    if (id === undefined) throw new KindFailure('POST /api/files answered without a file id');
    return { status: 'written', data: { id: String(id), name, sha256: sha256(text) } };
  },
  async check(client, data) {
    const list = expectOk(await client.request('GET', '/api/files'), 'GET /api/files');
    if (!JSON.stringify(list.body).includes(JSON.stringify(data.name))) {
      return { ok: false, detail: `file ${data.name} is missing from GET /api/files` };
    }
    const content = expectOk(await client.request('GET', `/api/files/${data.id}/content`), `GET /api/files/${data.id}/content`);
    const digest = sha256(content.raw);
    return digest === data.sha256
      ? { ok: true, detail: `listed; content sha256 ${digest.slice(0, 12)}… matches` }
      : { ok: false, detail: `content sha256 ${digest} differs from the upload's ${data.sha256}` };
  },
};

export const DATA_KINDS: DataKind[] = [workbook, chat, file];

/** Runs a kind's step; a thrown failure becomes a failed outcome rather than ending the run. */
export async function attempt<T>(step: () => Promise<T>, failed: (message: string) => T): Promise<T> {
  try {
    return await step();
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}
