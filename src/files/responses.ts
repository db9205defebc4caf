import { Type } from 'typebox';
import { Id, Timestamp } from '../http/response-schemas.js';

export const PublicFile = Type.Object({
  id: Id,
  name: Type.String(),
  contentType: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  sha256: Type.String(),
  createdAt: Timestamp,
  hasText: Type.Boolean({ description: 'text was extracted: a résumé can be made from the file' }),
});

export const FileResponse = Type.Object({ file: PublicFile });
export const FileList = Type.Object({ files: Type.Array(PublicFile) });

/** The stored bytes, sent as they are (never through the JSON serializer). */
export const FileContent = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the exact bytes, with the stored content type' });
