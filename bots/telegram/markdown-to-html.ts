import { type Block, type Inline, markdownToPlainText, parseMarkdown } from '../shared/markdown.js';

/**
 * Converts model Markdown to Telegram's HTML parse mode. Every text byte is escaped (`&`, `<`,
 * `>`, and `"` inside attributes) and every tag comes from the parse tree, so the output always
 * parses; its visible text is never longer than the Markdown, so a part that fits the
 * 4096-character limit as Markdown still fits after conversion.
 */
export function markdownToTelegramHtml(markdown: string): string {
  const blocks = parseMarkdown(markdown);
  const lines: string[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.type === 'quote') {
      // Consecutive quote lines become one blockquote; Telegram does not nest them.
      const quoted: string[] = [];
      while (blocks[i]?.type === 'quote') {
        quoted.push(renderInlines((blocks[i] as Extract<Block, { type: 'quote' }>).inlines));
        i += 1;
      }
      i -= 1;
      lines.push(`<blockquote>${quoted.join('\n')}</blockquote>`);
      continue;
    }
    lines.push(renderBlock(block));
  }
  return lines.join('\n');
}

/** The same answer without any markup, sent without `parse_mode` when Telegram refuses the HTML. */
export function markdownToTelegramPlain(markdown: string): string {
  return markdownToPlainText(markdown);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'code': {
      const language = /^[\w+#-]{1,32}$/.test(block.language) ? block.language : '';
      const body = escapeHtml(block.text);
      if (body.trim() === '') return '';
      return language ? `<pre><code class="language-${language}">${body}</code></pre>` : `<pre>${body}</pre>`;
    }
    case 'table':
      return `<pre>${escapeHtml(block.rows.join('\n'))}</pre>`;
    case 'heading':
      return `<b>${renderInlines(block.inlines)}</b>`;
    case 'item':
      return `${block.indent}${block.marker} ${renderInlines(block.inlines)}`;
    case 'rule':
      return '———';
    case 'quote':
      return `<blockquote>${renderInlines(block.inlines)}</blockquote>`;
    case 'line':
      return renderInlines(block.inlines);
  }
}

function renderInlines(nodes: Inline[]): string {
  return nodes.map(renderInline).join('');
}

function renderInline(node: Inline): string {
  switch (node.type) {
    case 'text':
      return escapeHtml(node.text);
    case 'code':
      return `<code>${escapeHtml(node.text)}</code>`;
    case 'bold':
      return wrap('b', node.children);
    case 'italic':
      return wrap('i', node.children);
    case 'strike':
      return wrap('s', node.children);
    case 'link':
      return `<a href="${escapeAttribute(node.url)}">${renderInlines(node.children)}</a>`;
  }
}

function wrap(tag: string, children: Inline[]): string {
  const inner = renderInlines(children);
  return inner === '' ? '' : `<${tag}>${inner}</${tag}>`;
}
