import { describe, expect, it } from 'vitest';
import { markdownToMrkdwn } from './markdown-to-mrkdwn.js';

describe('markdownToMrkdwn', () => {
  it('converts emphasis, code, links and headings to mrkdwn', () => {
    expect(markdownToMrkdwn('**tebal**, *miring*, ~~coret~~ dan `kode`')).toBe(
      '*tebal*, _miring_, ~coret~ dan `kode`',
    );
    expect(markdownToMrkdwn('[Harga](https://aiport.id/pricing)')).toBe('<https://aiport.id/pricing|Harga>');
    expect(markdownToMrkdwn('# Ringkasan **penting**')).toBe('*Ringkasan penting*');
    expect(markdownToMrkdwn('- satu\n1. dua')).toBe('• satu\n1. dua');
  });

  it('escapes Slack control characters everywhere, including code', () => {
    expect(markdownToMrkdwn('a < b & <@U123>')).toBe('a &lt; b &amp; &lt;@U123&gt;');
    expect(markdownToMrkdwn('```js\nif (a < b) {}\n```')).toBe('```\nif (a &lt; b) {}\n```');
  });
});
