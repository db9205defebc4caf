import compress from '@fastify/compress';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Answers smaller than about one TCP segment gain no round trip from compression, only CPU:
 * who-am-I, a workbook save, a chat exchange stay as they are.
 */
export const COMPRESSION_THRESHOLD_BYTES = 1400;

/**
 * Compresses larger answers (JSON lists, the export, the docs) for clients that accept it:
 * brotli at @fastify/compress's moderate default quality (fast enough per request), else gzip.
 * Only compressible types (mime-db) are touched, and routes that send stored files opt out,
 * so an upload's bytes go out exactly as stored. Request bodies are never inflated: a small
 * compressed body could otherwise expand past every size limit.
 * Registered before the web app, whose files come pre-compressed (`src/web-hosting/static.ts`).
 */
/**
 * Sends this request's answer uncompressed, through the opt-out @fastify/compress documents
 * (an `x-no-compression` request header), for answers decided per request: an export that
 * carries the person's files is mostly their stored bytes (compressed documents, base64), which
 * would cost CPU for a few percent.
 */
export function leaveUncompressed(request: FastifyRequest): void {
  request.headers['x-no-compression'] = '1';
}

export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip'],
  });
}
