import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the fake answers one request: a reply's text, or an HTTP failure. A streamed reply goes
 * out one word per event, `chunkDelayMs` apart; with `dropAfterChunks` the connection is cut
 * after that many words (an upstream that dies mid-stream).
 */
export type FakeAnswer = { reply: string; chunkDelayMs?: number; dropAfterChunks?: number } | { status: number };

export interface FakeChatCompletions {
  /** Base URL to give the client, ending in /v1. */
  url: string;
  /** Every request body received, in order, with its authorization header. */
  requests: { body: any; authorization: string | undefined }[];
  /** Answers for the next requests, used in order; when empty, `fallback` answers. */
  answers: FakeAnswer[];
  fallback: FakeAnswer;
  /** Streams whose client hung up before the last event (a caller that stopped listening). */
  abandoned: number;
  close(): Promise<void>;
}

function completion(model: string, content: string) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function chunk(model: string, delta: object, finishReason: string | null) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

/** Writes the events (the first is the role, not a word); true when the client hung up first. */
async function streamEvents(response: http.ServerResponse, events: object[], delayMs: number, dropAfterWords?: number): Promise<boolean> {
  let closed = false;
  response.on('close', () => (closed = !response.writableFinished));
  for (const [index, event] of events.entries()) {
    if (closed) return true;
    if (dropAfterWords !== undefined && index > dropAfterWords) {
      // Let what was written reach the client first: a cut before the headers would be a
      // failed request (which the client retries), not a stream that dies.
      await new Promise((resolve) => setTimeout(resolve, 50));
      response.destroy();
      return false;
    }
    response.write(`data: ${JSON.stringify(event)}\n\n`);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  if (closed) return true;
  response.end('data: [DONE]\n\n');
  return false;
}

/**
 * A local stand-in for an OpenAI-compatible API: POST /v1/chat/completions answers JSON, or
 * server-sent events when the request asks for `stream: true`, so tests never leave the machine.
 */
export async function startFakeChatCompletions(): Promise<FakeChatCompletions> {
  const fake = { requests: [], answers: [], fallback: { reply: 'Fake coach reply.' }, abandoned: 0 } as unknown as FakeChatCompletions;
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (part) => (raw += part));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(raw);
      fake.requests.push({ body, authorization: request.headers.authorization });
      const answer = fake.answers.shift() ?? fake.fallback;
      if ('status' in answer) {
        // retry-after-ms keeps the client's retry immediate.
        response
          .writeHead(answer.status, { 'content-type': 'application/json', 'retry-after-ms': '1' })
          .end(JSON.stringify({ error: { message: 'fake failure', type: 'server_error' } }));
        return;
      }
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(body.model, answer.reply)));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const words = answer.reply.split(/(?<= )/);
      const events = [
        chunk(body.model, { role: 'assistant', content: '' }, null),
        ...words.map((word) => chunk(body.model, { content: word }, null)),
        chunk(body.model, {}, 'stop'),
      ];
      void streamEvents(response, events, answer.chunkDelayMs ?? 0, answer.dropAfterChunks).then((abandoned) => {
        if (abandoned) fake.abandoned++;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return fake;
}
