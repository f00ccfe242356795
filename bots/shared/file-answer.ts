import { isCoreError } from '../../core/errors.js';
import { sniffImageType } from '../../core/security/image-type.js';
import {
  type DocumentKind,
  documentKind,
  documentPrompt,
  extractDocumentText,
  MAX_DOCUMENT_BYTES,
} from './document-text.js';
import type { Messages } from './i18n/index.js';

/**
 * How a file sent to a bot with a message is answered, the same on every platform: an image with
 * a question is a vision turn (or an edit), an image alone gets told what to add; a document (txt,
 * md, pdf) is context for the message's question; audio goes to the voice-note path
 * (voice-note.ts); anything else gets a short "cannot read this". Decided first from what the platform states about the file (name,
 * type, size), so nothing too large or unreadable is ever downloaded.
 */

/** Largest image read for a vision question or an edit. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** A file as the platform describes it before download. */
export interface StatedFile {
  name?: string | undefined;
  contentType?: string | undefined;
  /** Bytes, as the platform states them (the download is checked again). */
  size?: number | undefined;
}

export type FilePlan =
  /** Answered at once, nothing downloaded. */
  | { action: 'reply'; text: string }
  | { action: 'audio' }
  | { action: 'image'; maxBytes: number }
  | { action: 'document'; kind: DocumentKind; maxBytes: number };

export function planFile(file: StatedFile, question: string, t: Messages): FilePlan {
  const type = (file.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('audio/')) return { action: 'audio' };
  if (type.startsWith('image/')) {
    if (question === '') return { action: 'reply', text: t.photoWithoutCaption() };
    if ((file.size ?? 0) > MAX_IMAGE_BYTES) return { action: 'reply', text: t.photoUndecodable() };
    return { action: 'image', maxBytes: MAX_IMAGE_BYTES };
  }
  const kind = documentKind(file.name, type || undefined);
  if (!kind) return { action: 'reply', text: t.documentUnsupported() };
  if ((file.size ?? 0) > MAX_DOCUMENT_BYTES) {
    return { action: 'reply', text: t.documentTooLarge({ maxKb: MAX_DOCUMENT_BYTES / 1024 }) };
  }
  if (question === '') return { action: 'reply', text: t.documentNeedsQuestion() };
  return { action: 'document', kind, maxBytes: MAX_DOCUMENT_BYTES };
}

/** Downloaded bytes as a vision input; undefined when they are not an image the models read. */
export function imageInput(bytes: Uint8Array | undefined): { mediaType: string; data: string } | undefined {
  const mediaType = bytes ? sniffImageType(bytes) : undefined;
  return bytes && mediaType ? { mediaType, data: Buffer.from(bytes).toString('base64') } : undefined;
}

/** The turn's prompt from a downloaded document, or the short reply that says why it cannot be read. */
export async function documentTurn(
  bytes: Uint8Array,
  kind: DocumentKind,
  fileName: string | undefined,
  question: string,
  t: Messages,
): Promise<{ prompt: string } | { reply: string }> {
  const text = await extractDocumentText(bytes, kind);
  if (!text.ok) return { reply: text.reason === 'no_text' ? t.documentNoText() : t.documentUnsupported() };
  return { prompt: documentPrompt(question, fileName ?? 'document', text) };
}

/** The media service's refusal of the image itself (not decodable, an unaccepted format, too large). */
export function imageRefused(error: unknown): boolean {
  return (
    isCoreError(error) &&
    (error.code === 'invalid_request' || error.code === 'payload_too_large') &&
    error.details['param'] === 'image'
  );
}
