import { type Block, type Inline, parseMarkdown } from '../shared/markdown.js';

/**
 * Converts model Markdown to Slack mrkdwn (for `text` in chat.postMessage / chat.update; the
 * streaming methods take standard Markdown in `markdown_text` and need no conversion).
 * Slack's control characters `&`, `<`, `>` are escaped everywhere, links become `<url|label>`.
 */
export function markdownToMrkdwn(markdown: string): string {
  return parseMarkdown(markdown).map(renderBlock).join('\n');
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'code':
      return `\`\`\`\n${escapeMrkdwn(block.text)}\n\`\`\``;
    case 'table':
      return `\`\`\`\n${escapeMrkdwn(block.rows.join('\n'))}\n\`\`\``;
    case 'heading':
      return `*${renderPlainish(block.inlines)}*`;
    case 'item':
      return `${block.indent}${block.marker} ${renderInlines(block.inlines)}`;
    case 'rule':
      return '———';
    case 'quote':
      return `&gt; ${renderInlines(block.inlines)}`;
    case 'line':
      return renderInlines(block.inlines);
  }
}

function renderInlines(nodes: Inline[]): string {
  return nodes.map(renderInline).join('');
}

/** Inside a bold heading, nested emphasis markers would close it early; keep their text only. */
function renderPlainish(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'bold' || node.type === 'italic' || node.type === 'strike')
        return renderPlainish(node.children);
      return renderInline(node);
    })
    .join('');
}

function renderInline(node: Inline): string {
  switch (node.type) {
    case 'text':
      return escapeMrkdwn(node.text);
    case 'code':
      return `\`${escapeMrkdwn(node.text.replace(/`/g, "'"))}\``;
    case 'bold':
      return `*${renderInlines(node.children)}*`;
    case 'italic':
      return `_${renderInlines(node.children)}_`;
    case 'strike':
      return `~${renderInlines(node.children)}~`;
    case 'link': {
      const label = renderInlines(node.children).replace(/\|/g, '/');
      return `<${node.url.replace(/[<>|]/g, encodeURIComponent)}|${label}>`;
    }
  }
}
