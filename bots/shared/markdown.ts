/**
 * A small, forgiving parser for the Markdown that chat models write: fenced code, headings,
 * lists, quotes, rules, and inline bold / italic / strikethrough / code / links. Anything that
 * does not parse cleanly stays literal text, so renderers never emit unbalanced markup.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { type: 'link'; url: string; children: Inline[] };

export type Block =
  | { type: 'code'; language: string; text: string }
  | { type: 'heading'; level: number; inlines: Inline[] }
  | { type: 'item'; indent: string; marker: string; ordered: boolean; inlines: Inline[] }
  | { type: 'quote'; inlines: Inline[] }
  | { type: 'rule' }
  | { type: 'line'; inlines: Inline[] }
  /** A pipe table; shown monospaced as its rows in plain text (chat platforms have no tables). */
  | { type: 'table'; rows: string[] };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^`]*$/;

export function parseMarkdown(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const trimmed = lines[j]!.trim();
        if (trimmed[0] === marker[0] && /^(`+|~+)$/.test(trimmed) && trimmed.length >= marker.length) break;
        body.push(lines[j]!);
      }
      blocks.push({ type: 'code', language: fence[2] ?? '', text: body.join('\n') });
      i = j;
      continue;
    }
    if (TABLE_ROW.test(line) && TABLE_SEPARATOR.test(lines[i + 1] ?? '')) {
      const rows = [line];
      let j = i + 2;
      while (j < lines.length && TABLE_ROW.test(lines[j]!)) rows.push(lines[j++]!);
      blocks.push({ type: 'table', rows: rows.map((row) => inlineToPlain(parseInline(row.trim()))) });
      i = j - 1;
      continue;
    }
    blocks.push(parseLine(line));
  }
  return blocks;
}

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function parseLine(line: string): Block {
  const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return { type: 'heading', level: heading[1]!.length, inlines: parseInline(heading[2]!) };
  if (/^ {0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return { type: 'rule' };
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet)
    return {
      type: 'item',
      indent: bullet[1]!,
      marker: '•',
      ordered: false,
      inlines: parseInline(bullet[2]!),
    };
  const ordered = /^(\s*)(\d{1,9}[.)])\s+(.*)$/.exec(line);
  if (ordered) {
    return {
      type: 'item',
      indent: ordered[1]!,
      marker: ordered[2]!,
      ordered: true,
      inlines: parseInline(ordered[3]!),
    };
  }
  const quote = /^ {0,3}>\s?(.*)$/.exec(line);
  if (quote) return { type: 'quote', inlines: parseInline(quote[1]!) };
  return { type: 'line', inlines: parseInline(line) };
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!~|>]/;

export function parseInline(source: string): Inline[] {
  const nodes: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) nodes.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\' && i + 1 < source.length && ESCAPABLE.test(source[i + 1]!)) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    const parsed = parseAt(source, i);
    if (parsed) {
      flush();
      nodes.push(parsed.node);
      i = parsed.end;
      continue;
    }
    if (ch === '`') {
      // An unmatched backtick run stays literal as a whole, so it cannot pair up later.
      const run = /^`+/.exec(source.slice(i))![0];
      text += run;
      i += run.length;
      continue;
    }
    text += ch;
    i += 1;
  }
  flush();
  return nodes;
}

function parseAt(s: string, i: number): { node: Inline; end: number } | undefined {
  const ch = s[i]!;
  if (ch === '`') return codeSpan(s, i);
  if (ch === '[') return link(s, i);
  if ((ch === '*' || ch === '_') && s[i + 1] === ch) return delimited(s, i, ch.repeat(2), 'bold');
  if (ch === '~' && s[i + 1] === '~') return delimited(s, i, '~~', 'strike');
  if (ch === '*' || ch === '_') return delimited(s, i, ch, 'italic');
  return undefined;
}

function codeSpan(s: string, i: number): { node: Inline; end: number } | undefined {
  const run = /^`+/.exec(s.slice(i))![0];
  let search = i + run.length;
  while (search < s.length) {
    const close = s.indexOf(run, search);
    if (close < 0) return undefined;
    const after = close + run.length;
    if (s[after] !== '`' && s[close - 1] !== '`') {
      let text = s.slice(i + run.length, close);
      if (/^ .* $/.test(text) && text.trim() !== '') text = text.slice(1, -1);
      return text === '' ? undefined : { node: { type: 'code', text }, end: after };
    }
    search = after;
  }
  return undefined;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/** Emphasis: the opener must touch its content, `_` only at word edges (so snake_case stays literal). */
function delimited(
  s: string,
  i: number,
  delimiter: string,
  type: 'bold' | 'italic' | 'strike',
): { node: Inline; end: number } | undefined {
  const start = i + delimiter.length;
  if (start >= s.length || /\s/.test(s[start]!)) return undefined;
  const underscore = delimiter[0] === '_';
  if (underscore && isWordChar(s[i - 1])) return undefined;
  let search = start + 1;
  while (search <= s.length - delimiter.length) {
    let close = s.indexOf(delimiter, search);
    if (close < 0) return undefined;
    // Use the end of a longer run (`***` closing bold+italic), and skip code spans in between.
    while (s[close + delimiter.length] === delimiter[0]) close += 1;
    const inner = s.slice(start, close);
    const end = close + delimiter.length;
    const tickCount = (inner.match(/`/g) ?? []).length;
    if (!/\s/.test(s[close - 1]!) && tickCount % 2 === 0 && !(underscore && isWordChar(s[end]))) {
      if (delimiter.length === 1 && s[close - 1] === delimiter) {
        search = close + 1;
        continue;
      }
      return { node: { type, children: parseInline(inner) }, end };
    }
    search = close + 1;
  }
  return undefined;
}

function link(s: string, i: number): { node: Inline; end: number } | undefined {
  const match = /^\[([^\]\n]+)\]\(\s*<?([^\s()<>]+(?:\([^\s()]*\))?[^\s()<>]*)>?(?:\s+"[^"]*")?\s*\)/.exec(
    s.slice(i),
  );
  if (!match) return undefined;
  const url = match[2]!;
  if (!/^(https?:\/\/|mailto:|tg:\/\/)/i.test(url)) return undefined;
  return { node: { type: 'link', url, children: parseInline(match[1]!) }, end: i + match[0].length };
}

/** The visible text of inline nodes, with no markup: links as `text (url)` when they differ. */
export function inlineToPlain(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
        case 'code':
          return node.text;
        case 'link': {
          const label = inlineToPlain(node.children);
          return label === node.url ? label : `${label} (${node.url})`;
        }
        default:
          return inlineToPlain(node.children);
      }
    })
    .join('');
}

/** The answer as plain text, for platforms that rejected formatted text. */
export function markdownToPlainText(markdown: string): string {
  return parseMarkdown(markdown)
    .map((block) => {
      switch (block.type) {
        case 'code':
          return block.text;
        case 'table':
          return block.rows.join('\n');
        case 'rule':
          return '———';
        case 'item':
          return `${block.indent}${block.marker} ${inlineToPlain(block.inlines)}`;
        case 'quote':
          return `> ${inlineToPlain(block.inlines)}`;
        default:
          return inlineToPlain(block.inlines);
      }
    })
    .join('\n');
}
