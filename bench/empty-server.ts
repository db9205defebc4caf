// The ceiling of the HTTP stack: Fastify with a route that does nothing, and one that sends
// 1 MB from memory.
import fs from 'node:fs';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/empty', async () => ({}));
// The same stack sending 1 MB from memory: the most a download route can reach here. The bench
// hands it the bytes the download scenario stores (MEGABYTE_FILE), so both send the same body.
const megabyte = process.env.MEGABYTE_FILE ? fs.readFileSync(process.env.MEGABYTE_FILE) : Buffer.alloc(1024 * 1024, 0x25);
app.get('/megabyte', async (_request, reply) => reply.type('application/pdf').send(megabyte));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
