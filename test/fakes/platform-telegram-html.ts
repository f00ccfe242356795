/**
 * Telegram's HTML parse mode as the Bot API enforces it: a small tag set, properly nested,
 * with `&lt;` `&gt;` `&amp;` `&quot;` and numeric entities. A stray `<` or an unknown tag is
 * a 400 "can't parse entities", which is what bots must be prepared for.
 */

export interface TelegramEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export type HtmlParseResult =
  | { ok: true; text: string; entities: TelegramEntity[] }
  | { ok: false; error: string };

const TAG_TYPES: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  span: 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  name: string;
  start: number;
  attrs: Record<string, string>;
}

export function parseTelegramHtml(html: string): HtmlParseResult {
  let text = '';
  const entities: TelegramEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const match = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
      const decoded = match ? decodeEntity(match[1]!) : undefined;
      if (match && decoded !== undefined) {
        text += decoded;
        i += match[0].length;
      } else {
        text += '&';
        i += 1;
      }
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const end = html.indexOf('>', i);
    const offset = Buffer.byteLength(html.slice(0, i));
    if (end < 0) return fail(`unclosed start tag at byte offset ${offset}`);
    const inner = html.slice(i + 1, end);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open || open.name !== name) {
        const expected = open ? `, expected "</${open.name}>"` : '';
        return fail(`unmatched end tag at byte offset ${offset}${expected}, found "</${name}>"`);
      }
      const entity = closeEntity(open, text.length);
      if (entity) entities.push(entity);
    } else {
      const tag = parseStartTag(inner);
      if (!tag || !(tag.name in TAG_TYPES)) {
        return fail(`unsupported start tag "${tag?.name ?? inner}" at byte offset ${offset}`);
      }
      if (tag.name === 'span' && tag.attrs['class'] !== 'tg-spoiler') {
        return fail(`unsupported start tag "span" at byte offset ${offset}`);
      }
      stack.push({ name: tag.name, start: text.length, attrs: tag.attrs });
    }
    i = end + 1;
  }
  const unclosed = stack.pop();
  if (unclosed) return fail(`can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { ok: true, text, entities };
}

function fail(reason: string): HtmlParseResult {
  return { ok: false, error: `Bad Request: can't parse entities: ${reason}` };
}

function decodeEntity(body: string): string | undefined {
  if (body.startsWith('#x')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
  if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
  return NAMED_ENTITIES[body.toLowerCase()];
}

function parseStartTag(inner: string): { name: string; attrs: Record<string, string> } | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))*)\s*$/.exec(
    inner,
  );
  if (!match) return undefined;
  const attrs: Record<string, string> = {};
  for (const attr of match[2]!.matchAll(/([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
    attrs[attr[1]!.toLowerCase()] = (attr[2] ?? attr[3] ?? attr[4] ?? '').replace(/&quot;/g, '"');
  }
  return { name: match[1]!.toLowerCase(), attrs };
}

function closeEntity(open: OpenTag, endOffset: number): TelegramEntity | undefined {
  const length = endOffset - open.start;
  if (length === 0) return undefined;
  const entity: TelegramEntity = { type: TAG_TYPES[open.name]!, offset: open.start, length };
  if (open.name === 'a') entity.url = open.attrs['href'] ?? '';
  return entity;
}
