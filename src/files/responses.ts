import { Type, type Static } from 'typebox';
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
export type PublicFile = Static<typeof PublicFile>;

/** What the server accepts, so the page can say so before anyone tries (set in server config). */
export const UploadLimits = Type.Object({
  maxFileBytes: Type.Integer({ minimum: 0, description: 'largest file accepted (MAX_UPLOAD_MB)' }),
  maxStorageBytes: Type.Integer({ minimum: 0, description: "all of a person's files together (MAX_STORAGE_MB_PER_USER)" }),
});
export type UploadLimits = Static<typeof UploadLimits>;

export const FileResponse = Type.Object({ file: PublicFile });
export type FileResponse = Static<typeof FileResponse>;
export const FileList = Type.Object({ files: Type.Array(PublicFile), limits: UploadLimits });
export type FileList = Static<typeof FileList>;

/** The stored bytes, sent as they are (never through the JSON serializer). */
export const FileContent = Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the exact bytes, with the stored content type' });
