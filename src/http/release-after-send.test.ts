import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { releaseBuffer, releaseWhenSent } from './release-after-send.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A real server whose route sends the buffer a test hands it, and says when its answer ended. */
describe('releaseWhenSent', () => {
  let app: FastifyInstance;
  let base: string;
  let next: { ended: Promise<'finish' | 'close'> } | undefined;
  let sending: Buffer;

  before(async () => {
    app = Fastify();
    app.get('/bytes', (_request, reply) => {
      releaseWhenSent(reply, sending);
      // Registered after releaseWhenSent's listener, so it runs after it.
      next = {
        ended: new Promise((resolve) => {
          reply.raw.once('finish', () => resolve('finish'));
          reply.raw.once('close', () => setImmediate(() => resolve('close')));
        }),
      };
      return reply.type('application/octet-stream').send(sending);
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(() => app.close());

  async function download(bytes: Buffer): Promise<Buffer> {
    sending = bytes;
    const response = await fetch(`${base}/bytes`);
    assert.equal(response.status, 200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('frees a buffer that owns its memory once the answer is sent, after every byte went out', async () => {
    const bytes = randomBytes(1024 * 1024);
    const expected = sha256(bytes);
    const received = await download(bytes);
    assert.equal(await next!.ended, 'finish');
    assert.equal(sha256(received), expected, 'the client got the bytes as they were');
    assert.equal(bytes.length, 0, 'the memory was detached, i.e. freed');
    assert.equal(bytes.buffer.byteLength, 0);
  });

  it('frees only after a slow reader has taken everything (writes were still pending)', async () => {
    // Far more than the socket buffers hold, read slowly: the server's writes wait on the reader.
    const bytes = randomBytes(16 * 1024 * 1024);
    const expected = sha256(bytes);
    sending = bytes;
    const response = await fetch(`${base}/bytes`);
    const reader = response.body!.getReader();
    const hash = createHash('sha256');
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hash.update(value);
      if (chunks++ < 20) await sleep(5);
    }
    assert.equal(await next!.ended, 'finish');
    assert.equal(hash.digest('hex'), expected);
    assert.equal(bytes.length, 0);
  });

  it('leaves alone a view into a larger block, and small buffers', async () => {
    const block = randomBytes(2 * 1024 * 1024);
    const view = block.subarray(0, 1024 * 1024);
    assert.equal(sha256(await download(view)), sha256(view));
    await next!.ended;
    assert.equal(view.length, 1024 * 1024, 'the view is intact');
    assert.equal(block.length, 2 * 1024 * 1024, 'the block it views is intact');

    const small = Buffer.from(randomBytes(1000));
    const copy = Buffer.from(small);
    assert.deepEqual(await download(small), copy);
    await next!.ended;
    assert.deepEqual(small, copy);
  });

  it('survives answers cut short: the server goes on and later downloads are whole', async () => {
    // Node emits 'finish' for an answer whose client went away too, after it closed the socket:
    // its unsent writes are dropped with it, so nothing reads the memory once it is freed.
    for (let i = 0; i < 5; i++) {
      sending = randomBytes(16 * 1024 * 1024);
      await new Promise<void>((resolve, reject) => {
        const request = http.get(`${base}/bytes`, (response) => {
          response.once('data', () => {
            request.destroy();
            resolve();
          });
        });
        request.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error)));
      });
      await next!.ended;
    }
    const bytes = randomBytes(1024 * 1024);
    assert.equal(sha256(await download(Buffer.from(bytes))), sha256(bytes), 'the next download is whole');
  });
});

describe('releaseBuffer', () => {
  it('frees a buffer that owns its memory at once, and leaves views and small buffers alone', () => {
    const owned = randomBytes(1024 * 1024);
    releaseBuffer(owned);
    assert.equal(owned.length, 0, 'detached, i.e. freed');

    const block = randomBytes(2 * 1024 * 1024);
    const view = block.subarray(1024, 1024 + 1024 * 1024);
    const viewHash = sha256(view);
    releaseBuffer(view);
    assert.equal(sha256(view), viewHash, 'the view is intact');
    assert.equal(block.length, 2 * 1024 * 1024, 'the block it views is intact');

    const small = Buffer.from(randomBytes(1000));
    releaseBuffer(small);
    assert.equal(small.length, 1000);
  });
});
