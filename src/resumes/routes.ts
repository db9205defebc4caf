import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import contentDisposition from 'content-disposition';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../auth/gate.js';
import { asciiFallbackName } from '../files/names.js';
import { Id, IdParams } from '../http/schemas.js';
import { limitPerUser } from '../limits/hooks.js';
import { NoContent } from '../http/response-schemas.js';
import { CONTENT_TYPES, renderDocx, renderText, type DocumentFormat } from './documents.js';
import { PdfPool } from './pdf-pool.js';
import { compareVersions, duplicateResume, getVersion, listVersions, MAX_RESUME_CHARS, renameResume, saveResumeText } from './editing.js';
import { ComparisonResponse, FeedbackResponse, ResumeDownload, ResumeList, ResumeResponse, VersionList, VersionResponse } from './responses.js';
import { createResume, deleteResume, getResume, listResumes, reviewAndStore } from './service.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Content = Type.String({ minLength: 1, maxLength: MAX_RESUME_CHARS });
const Revision = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });

// Either content or fileId (checked in the service, which says which one is missing).
const NewResume = Type.Object(
  { name: Name, content: Type.Optional(Content), fileId: Type.Optional(Id), jobMatchId: Type.Optional(Type.Union([Id, Type.Null()])) },
  { additionalProperties: false },
);
const ResumeEdit = Type.Object({ revision: Revision, content: Content }, { additionalProperties: false });
const Rename = Type.Object({ name: Name }, { additionalProperties: false });
const Duplicate = Type.Object({ name: Type.Optional(Name) }, { additionalProperties: false });
const VersionParams = Type.Object({ ...IdParams.properties, revision: Type.Unsafe<number>({ ...IdParams.properties.id }) });
const CompareQuery = Type.Object({ from: Revision, to: Revision }, { additionalProperties: false });
const DownloadQuery = Type.Object(
  { format: Type.Union([Type.Literal('pdf'), Type.Literal('docx'), Type.Literal('txt')]) },
  { additionalProperties: false },
);

export async function resumesRoutes(parent: FastifyInstance): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  const pdfs = new PdfPool();
  app.addHook('onClose', () => pdfs.close());
  const render = (format: DocumentFormat, title: string, content: string): Promise<Buffer> | Buffer =>
    format === 'pdf' ? pdfs.render({ title, content }) : format === 'docx' ? renderDocx(title, content) : renderText(content);

  app.post('/', { schema: { body: NewResume, response: { 201: ResumeResponse } }, preHandler: limitPerUser('resumes') }, async (request, reply) => {
    const resume = await createResume(db, requireUser(request).userId, request.body);
    return reply.code(201).send({ resume });
  });

  app.get('/', { schema: { response: { 200: ResumeList } } }, async (request) => ({ resumes: await listResumes(db, requireUser(request).userId) }));

  app.get('/:id', { schema: { params: IdParams, response: { 200: ResumeResponse } } }, async (request) => ({
    resume: await getResume(db, requireUser(request).userId, request.params.id),
  }));

  // Saves a new text as the next version; a stale `revision` is 409 with both versions.
  app.put('/:id', { schema: { params: IdParams, body: ResumeEdit, response: { 200: ResumeResponse } } }, async (request) => ({
    resume: await saveResumeText(db, requireUser(request).userId, request.params.id, request.body),
  }));

  app.patch('/:id', { schema: { params: IdParams, body: Rename, response: { 200: ResumeResponse } } }, async (request) => ({
    resume: await renameResume(db, requireUser(request).userId, request.params.id, request.body.name),
  }));

  app.delete('/:id', { schema: { params: IdParams, response: { 204: NoContent } } }, async (request, reply) => {
    await deleteResume(db, requireUser(request).userId, request.params.id);
    return reply.code(204).send();
  });

  app.post(
    '/:id/duplicate',
    { schema: { params: IdParams, body: Type.Optional(Duplicate), response: { 201: ResumeResponse } }, preHandler: limitPerUser('resumes') },
    async (request, reply) => {
      const resume = await duplicateResume(db, requireUser(request).userId, request.params.id, request.body?.name);
      return reply.code(201).send({ resume });
    },
  );

  app.get('/:id/versions', { schema: { params: IdParams, response: { 200: VersionList } } }, async (request) => ({
    versions: await listVersions(db, requireUser(request).userId, request.params.id),
  }));

  app.get('/:id/versions/:revision', { schema: { params: VersionParams, response: { 200: VersionResponse } } }, async (request) => {
    const { name: _name, ...version } = await getVersion(db, requireUser(request).userId, request.params.id, request.params.revision);
    return { version };
  });

  app.get('/:id/compare', { schema: { params: IdParams, querystring: CompareQuery, response: { 200: ComparisonResponse } } }, async (request) => ({
    comparison: await compareVersions(db, requireUser(request).userId, request.params.id, request.query.from, request.query.to),
  }));

  app.get('/:id/versions/:revision/download', { schema: { params: VersionParams, querystring: DownloadQuery, response: { 200: ResumeDownload } } }, async (request, reply) => {
    const { format } = request.query;
    const version = await getVersion(db, requireUser(request).userId, request.params.id, request.params.revision);
    const body = await render(format, version.name, version.content);
    const fileName = `${version.name} (version ${version.revision}).${format}`;
    return reply
      .type(CONTENT_TYPES[format])
      .header('content-disposition', contentDisposition(fileName, { type: 'attachment', fallback: asciiFallbackName(fileName) }))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(body);
  });

  app.post('/:id/feedback', { schema: { params: IdParams, response: { 201: FeedbackResponse } }, preHandler: limitPerUser('feedback') }, async (request, reply) => {
    const feedback = await reviewAndStore(db, requireUser(request).userId, request.params.id);
    return reply.code(201).send({ feedback });
  });
}
