// The ceiling of the HTTP stack: Fastify with a route that does nothing, one that sends 1 MB
// from memory, and replays of real answers.
import fs from 'node:fs';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/empty', async () => ({}));
// The same stack sending 1 MB from memory: the most a download route can reach here. The bench
// hands it the bytes the download scenario stores (MEGABYTE_FILE), so both send the same body.
const megabyte = process.env.MEGABYTE_FILE ? fs.readFileSync(process.env.MEGABYTE_FILE) : Buffer.alloc(1024 * 1024, 0x25);
app.get('/megabyte', async (_request, reply) => reply.type('application/pdf').send(megabyte));
// Any response a Mosaic route gave, replayed byte for byte (status, headers, body): the cost of
// sending exactly that answer through Fastify, with nothing computed. The bench registers one
// per read route and loads /replay/<id> like the route itself.
const replays: { status: number; headers: Record<string, string>; body: Buffer }[] = [];
app.post('/__replay', async (request) => {
  const { status, headers, body } = request.body as { status: number; headers: Record<string, string>; body: string };
  replays.push({ status, headers, body: Buffer.from(body, 'base64') });
  return { id: replays.length - 1 };
});
app.get('/replay/:id', async (request, reply) => {
  const replay = replays[Number((request.params as { id: string }).id)];
  if (!replay) return reply.code(404).send();
  return reply.code(replay.status).headers(replay.headers).send(replay.body);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
