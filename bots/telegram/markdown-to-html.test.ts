import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTelegramHtml } from '../../test/fakes/platform-telegram-html.js';
import { markdownToTelegramHtml, markdownToTelegramPlain } from './markdown-to-html.js';

function visible(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.text;
}

describe('markdownToTelegramHtml', () => {
  it('converts emphasis, inline code, links and headings', () => {
    expect(markdownToTelegramHtml('**tebal** dan *miring* dan _juga_ dan ~~coret~~')).toBe(
      '<b>tebal</b> dan <i>miring</i> dan <i>juga</i> dan <s>coret</s>',
    );
    expect(markdownToTelegramHtml('Pakai `a < b && c`')).toBe('Pakai <code>a &lt; b &amp;&amp; c</code>');
    expect(markdownToTelegramHtml('[Dokumentasi](https://aiport.id/docs?a=1&b="2")')).toBe(
      '<a href="https://aiport.id/docs?a=1&amp;b=&quot;2&quot;">Dokumentasi</a>',
    );
    expect(markdownToTelegramHtml('## Judul *penting*')).toBe('<b>Judul <i>penting</i></b>');
    expect(markdownToTelegramHtml('***keduanya***')).toBe('<b><i>keduanya</i></b>');
  });

  it('renders fenced code with its language, escaped, and lists and quotes', () => {
    const md = '```ts\nif (a < b) { x = "<b>"; }\n```\n- satu\n  - dua\n1. pertama\n> kutipan\n> lanjut';
    expect(markdownToTelegramHtml(md)).toBe(
      [
        '<pre><code class="language-ts">if (a &lt; b) { x = "&lt;b&gt;"; }</code></pre>',
        '• satu',
        '  • dua',
        '1. pertama',
        '<blockquote>kutipan\nlanjut</blockquote>',
      ].join('\n'),
    );
  });

  it('shows a pipe table monospaced, without the separator row or emphasis markers', () => {
    const md =
      'Harga:\n| Model | Harga |\n|---|:---:|\n| **GPT-4o mini** | Rp 2.500 |\n| DeepSeek | Rp 1.000 |\nSelesai.';
    expect(markdownToTelegramHtml(md)).toBe(
      'Harga:\n<pre>| Model | Harga |\n| GPT-4o mini | Rp 2.500 |\n| DeepSeek | Rp 1.000 |</pre>\nSelesai.',
    );
  });

  it('leaves broken or intraword markup literal', () => {
    expect(markdownToTelegramHtml('snake_case_name and 2 * 3 * 4')).toBe('snake_case_name and 2 * 3 * 4');
    expect(markdownToTelegramHtml('**belum ditutup')).toBe('**belum ditutup');
    expect(markdownToTelegramHtml('`tanpa akhir')).toBe('`tanpa akhir');
    expect(markdownToTelegramHtml('[teks](javascript:alert(1))')).toBe('[teks](javascript:alert(1))');
    expect(markdownToTelegramHtml('<script>&nbsp;')).toBe('&lt;script&gt;&amp;nbsp;');
  });

  it('property: the output always parses, and its visible text is no longer than the Markdown', () => {
    const alphabet = fc.constantFrom(
      ...'ab *_~`[]()#>-1.\n<>&"\\ |'.split(''),
      'https://x.y',
      '```',
      '**',
      '|---|\n',
    );
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 80 }).map((a) => a.join('')),
        (md) => {
          const html = markdownToTelegramHtml(md);
          expect(visible(html).length).toBeLessThanOrEqual(md.length);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('plain fallback strips the markup', () => {
    expect(markdownToTelegramPlain('# Judul\n**tebal** [situs](https://a.id)\n```\nkode\n```')).toBe(
      'Judul\ntebal situs (https://a.id)\nkode',
    );
  });
});
