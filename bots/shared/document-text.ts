import { getDocumentProxy } from 'unpdf';

/**
 * The text of a document people send with a question (txt, md, pdf), bounded before anything is
 * spent on it: the file's size, the PDF pages read, and the characters kept. The text becomes
 * context for the question in one chat turn; the files themselves are never stored.
 */

/** Largest document accepted, checked against the platform's stated size before downloading. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
/** PDF pages read; later pages are left out (and the model is told). */
export const MAX_PDF_PAGES = 30;
/** Characters of text kept (about 15,000 tokens); the rest is cut (and the model is told). */
export const MAX_DOCUMENT_CHARS = 60_000;

export type DocumentKind = 'text' | 'pdf';

export type DocumentText =
  | { ok: true; text: string; truncated: boolean }
  /** `unsupported`: not text we can read (binary, a broken PDF); `no_text`: a PDF without a text layer (a scan). */
  | { ok: false; reason: 'unsupported' | 'no_text' };

const TEXT_EXTENSIONS = /\.(txt|md|markdown|text)$/i;
const TEXT_TYPES = new Set(['text/plain', 'text/markdown', 'text/x-markdown']);

/** What kind of document a file is, by its name and stated type; undefined for everything else. */
export function documentKind(
  fileName: string | undefined,
  mimeType: string | undefined,
): DocumentKind | undefined {
  const type = mimeType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/pdf' || /\.pdf$/i.test(fileName ?? '')) return 'pdf';
  if ((type && TEXT_TYPES.has(type)) || TEXT_EXTENSIONS.test(fileName ?? '')) return 'text';
  return undefined;
}

/** The readable text of the bytes; checks the content itself, whatever the name said. */
export async function extractDocumentText(bytes: Uint8Array, kind: DocumentKind): Promise<DocumentText> {
  if (bytes.byteLength > MAX_DOCUMENT_BYTES) return { ok: false, reason: 'unsupported' };
  const text = kind === 'pdf' ? await pdfText(bytes) : utf8Text(bytes);
  if (text === undefined) return { ok: false, reason: 'unsupported' };
  if (text.kept.trim() === '') return { ok: false, reason: kind === 'pdf' ? 'no_text' : 'unsupported' };
  const truncated = text.truncated || text.kept.length > MAX_DOCUMENT_CHARS;
  return { ok: true, text: text.kept.slice(0, MAX_DOCUMENT_CHARS), truncated };
}

/** The chat prompt: the question, then the document marked as such (so it reads as material, not orders). */
export function documentPrompt(
  question: string,
  fileName: string,
  document: { text: string; truncated: boolean },
) {
  const name = fileName.replace(/["\n\r]/g, '').slice(0, 100) || 'document';
  const cut = document.truncated ? '\n[The document was cut here: it is longer than what was read.]' : '';
  return `${question}\n\n<document name="${name}">\n${document.text}${cut}\n</document>`;
}

function utf8Text(bytes: Uint8Array): { kept: string; truncated: boolean } | undefined {
  // Binary data is not text: NUL bytes or bytes that are not UTF-8 mean it is something else.
  if (bytes.includes(0)) return undefined;
  try {
    const kept = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    return { kept, truncated: false };
  } catch {
    return undefined;
  }
}

async function pdfText(bytes: Uint8Array): Promise<{ kept: string; truncated: boolean } | undefined> {
  if (String.fromCharCode(...bytes.subarray(0, 5)) !== '%PDF-') return undefined;
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: the parser takes ownership of the buffer it is given.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { disableFontFace: true });
  } catch {
    return undefined;
  }
  try {
    const pages: string[] = [];
    let length = 0;
    const last = Math.min(pdf.numPages, MAX_PDF_PAGES);
    for (let number = 1; number <= last && length <= MAX_DOCUMENT_CHARS; number++) {
      const content = await (await pdf.getPage(number)).getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
        .join('')
        .trim();
      pages.push(text);
      length += text.length;
    }
    return { kept: pages.filter(Boolean).join('\n\n'), truncated: pdf.numPages > last };
  } catch {
    return undefined;
  } finally {
    await pdf.cleanup().catch(() => undefined);
  }
}
