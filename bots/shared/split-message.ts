/**
 * Splits a Markdown answer into parts that each fit a platform's message limit
 * (Telegram 4096, Discord 2000, Slack ~3500).
 *
 * Contract:
 * - every part is at most `limit` characters (UTF-16 code units, as the platforms count) and
 *   is not blank; surrogate pairs are never cut;
 * - cuts prefer paragraph breaks, then line breaks, then sentence ends, then spaces, and only
 *   cut inside a word when one word is longer than the limit;
 * - a fenced code block is never cut unless it alone is longer than the limit; then it is cut
 *   between lines and each piece is closed and reopened with the same fence and language, so
 *   every part renders as code;
 * - concatenating the parts (minus reopened fences) gives back the original text, except for
 *   whitespace at the cuts.
 */

export const MESSAGE_LIMITS = { telegram: 4096, discord: 2000, slack: 3500 } as const;

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/;

interface Segment {
  code: boolean;
  text: string;
  /** For code segments: the opening fence line and the closing fence (empty when unclosed). */
  open?: string;
  close?: string;
  body?: string;
}

export function splitMessage(text: string, limit: number): string[] {
  if (limit < 16) throw new RangeError('limit too small to split a message');
  const pieces: string[] = [];
  for (const segment of segmentFences(text)) {
    if (!segment.code) pieces.push(...splitProse(segment.text, limit, 0));
    else if (segment.text.trim().length <= limit) pieces.push(segment.text);
    else pieces.push(...splitCodeBlock(segment, limit));
  }
  return pack(pieces, limit);
}

/** Separates fenced code blocks (each kept whole, with its trailing newline) from prose. */
function segmentFences(text: string): Segment[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const segments: Segment[] = [];
  let prose = '';
  for (let i = 0; i < lines.length; i++) {
    const opening = FENCE_OPEN.exec(lines[i]!.replace(/\n$/, ''));
    // A backtick fence's info string may not contain backticks; otherwise it is inline code.
    if (!opening || (opening[1]!.startsWith('`') && opening[2]!.includes('`'))) {
      prose += lines[i];
      continue;
    }
    if (prose) segments.push({ code: false, text: prose });
    prose = '';
    const fence = opening[1]!;
    let body = '';
    let close = '';
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      const trimmed = line.trim();
      if (/^(`+|~+)$/.test(trimmed) && trimmed[0] === fence[0] && trimmed.length >= fence.length) {
        close = line;
        break;
      }
      body += line;
    }
    const open = lines[i]!;
    segments.push({ code: true, text: open + body + close, open, close, body });
    i = j;
  }
  if (prose) segments.push({ code: false, text: prose });
  return segments;
}

const PROSE_LEVELS: RegExp[] = [
  /\n[ \t]*\n/g, // paragraphs
  /\n/g, // lines
  /[.!?…]["')\]]*[ \t]+/g, // sentences
  /[ \t]+/g, // words
];

/** Cuts prose into pieces no longer than `limit`, each piece keeping its trailing separator. */
function splitProse(text: string, limit: number, level: number): string[] {
  if (text.trim().length <= limit) return [text];
  const pattern = PROSE_LEVELS[level];
  if (!pattern) return hardCut(text, limit);
  const pieces = cutAfter(text, pattern);
  if (pieces.length === 1) return splitProse(text, limit, level + 1);
  return pieces.flatMap((piece) => splitProse(piece, limit, level + 1));
}

function cutAfter(text: string, pattern: RegExp): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    if (end > start && end < text.length) {
      pieces.push(text.slice(start, end));
      start = end;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

function hardCut(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Cuts an oversized code block between lines; every piece is a complete fenced block. */
function splitCodeBlock(segment: Segment, limit: number): string[] {
  const open = segment.open!.endsWith('\n') ? segment.open! : `${segment.open}\n`;
  const fence = FENCE_OPEN.exec(open.trim())![1]!;
  const close = `${fence}\n`;
  const budget = limit - open.length - close.length;
  if (budget < 8) return hardCut(segment.text, limit);
  const bodyLines = (segment.body ?? '').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const chunks: string[] = [];
  let current = '';
  for (const line of bodyLines.flatMap((l) => (l.length > budget ? hardCut(l, budget) : [l]))) {
    if (current.length + line.length > budget) {
      chunks.push(current);
      current = '';
    }
    current += line;
  }
  if (current) chunks.push(current);
  return chunks.map((chunk) => `${open}${chunk.endsWith('\n') ? chunk : `${chunk}\n`}${close}`);
}

/** Greedily joins consecutive pieces while the trimmed result fits. */
function pack(pieces: string[], limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if ((current + piece).trim().length <= limit) {
      current += piece;
      continue;
    }
    if (current.trim()) parts.push(current.trim());
    current = piece;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}
