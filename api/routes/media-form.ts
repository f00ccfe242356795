import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CoreError } from '../../core/errors.js';
import { DEFAULT_IMAGE_LIMITS } from '../../core/ports/images.js';

/**
 * Multipart bodies of the media routes, read whole into memory with hard limits (the image
 * processor then decodes and checks every file before anything is stored).
 */

export interface FormFile {
  field: string;
  filename: string;
  bytes: Buffer;
}

export interface MediaForm {
  fields: Record<string, string>;
  files: FormFile[];
}

export const MAX_FORM_FILES = 18;
/** All files of one form together: one request never buffers more than this (plus one file). */
export const MAX_FORM_BYTES = 64 * 1024 * 1024;

export async function registerMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: true,
    limits: {
      fileSize: DEFAULT_IMAGE_LIMITS.maxInputBytes,
      files: MAX_FORM_FILES,
      fields: 40,
      fieldSize: 256 * 1024,
      parts: 60,
    },
  });
}

export function isMultipart(request: FastifyRequest): boolean {
  return request.headers['content-type']?.toLowerCase().startsWith('multipart/form-data') === true;
}

/** Reads every part; a field sent twice keeps its first value. */
export async function readMediaForm(request: FastifyRequest): Promise<MediaForm> {
  const fields: Record<string, string> = {};
  const files: FormFile[] = [];
  let total = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        total += bytes.length;
        if (total > MAX_FORM_BYTES) {
          throw new CoreError(
            'payload_too_large',
            'The files of this form are larger than allowed (64 MB in all).',
          );
        }
        files.push({ field: part.fieldname, filename: part.filename, bytes });
      } else if (!(part.fieldname in fields)) {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof CoreError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) {
      throw new CoreError('payload_too_large', 'A file or the form is larger than allowed (25 MB per file).');
    }
    // Everything else here is the client's bytes: a truncated body ("Unexpected end of form"), a
    // missing boundary, a malformed header. None of it is our failure.
    throw new CoreError(
      'invalid_request',
      'The multipart form could not be read: it is malformed or cut short.',
      {
        cause: error,
      },
    );
  }
  return { fields, files };
}
