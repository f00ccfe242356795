import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { FILES_PATH } from '../../core/media/index.js';
import { isSafeStorageKey } from '../../core/ports/storage.js';
import { mediaTypes } from '../schemas/responses.js';
import { fileBytes } from '../schemas/responses-public.js';
import { fileQuery } from '../schemas/v1-media.js';
import { validate } from '../schemas/validate.js';

/**
 * `GET /files/{key}?exp=..&sig=..`: stored media behind expiring signed links (the link is the
 * credential, so it can be opened by browsers and chat platforms). Served with the content type
 * recorded for the file and `nosniff`, so a file is never interpreted as anything else.
 */
export default async function fileRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const media = opts.core.media;
  if (media === undefined) return;

  app.get(
    `${FILES_PATH}/*`,
    {
      schema: {
        response: { 200: mediaTypes({ 'image/*': fileBytes, 'video/*': fileBytes }) },
        summary: 'A generated file, by signed link',
        querystring: fileQuery,
      },
    },
    async (request, reply) => {
      const key = (request.params as { '*': string })['*'];
      if (!isSafeStorageKey(key)) throw new CoreError('not_found', 'No such file.');
      const { exp, sig } = validate(fileQuery, request.query, 'query');
      const file = await media.openSignedFile(key, exp, sig);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.size))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .send(Readable.from(file.body));
    },
  );
}
