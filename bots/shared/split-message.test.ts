import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_LIMITS, splitMessage } from './split-message.js';

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})/;

function fenceCount(part: string): number {
  return part.split('\n').filter((line) => FENCE_LINE.test(line)).length;
}

/** Removes the fences the splitter adds when it reopens an oversized block, and all whitespace. */
function content(parts: string[]): string {
  return parts.join('\n').replace(/\s+/g, '');
}

const word = fc.stringMatching(/^[A-Za-z0-9À-ž,;:'"()-]{1,12}$/);
const sentence = fc.array(word, { minLength: 1, maxLength: 30 }).map((w) => `${w.join(' ')}.`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 8 }).map((s) => s.join(' '));
const codeLine = fc.stringMatching(/^[ a-z0-9=(){};.+*-]{0,60}$/);
const codeBlock = fc
  .tuple(fc.constantFrom('', 'ts', 'python'), fc.array(codeLine, { minLength: 1, maxLength: 60 }))
  .map(([lang, lines]) => `\`\`\`${lang}\n${lines.join('\n')}\n\`\`\``);
const document = fc
  .array(fc.oneof({ weight: 3, arbitrary: paragraph }, { weight: 1, arbitrary: codeBlock }), {
    maxLength: 25,
  })
  .map((blocks) => blocks.join('\n\n'));

describe('splitMessage', () => {
  it('keeps short text whole and drops blank input', () => {
    expect(splitMessage('Halo, dunia.', 4096)).toEqual(['Halo, dunia.']);
    expect(splitMessage('  \n\n ', 4096)).toEqual([]);
  });

  it('prefers paragraph boundaries', () => {
    const a = 'a'.repeat(30);
    const b = 'b'.repeat(30);
    expect(splitMessage(`${a}\n\n${b}`, 40)).toEqual([a, b]);
  });

  it('falls back to lines, sentences, words, then a hard cut', () => {
    expect(splitMessage('satu dua tiga.\nempat lima enam.', 20)).toEqual([
      'satu dua tiga.',
      'empat lima enam.',
    ]);
    expect(splitMessage('Satu dua. Tiga empat lima.', 20)).toEqual(['Satu dua.', 'Tiga empat lima.']);
    expect(splitMessage('aaaa bbbb cccc dddd eeee', 16)).toEqual(['aaaa bbbb cccc', 'dddd eeee']);
    expect(splitMessage('x'.repeat(40), 16)).toEqual(['x'.repeat(16), 'x'.repeat(16), 'x'.repeat(8)]);
  });

  it('never cuts a surrogate pair', () => {
    const parts = splitMessage('😀'.repeat(20), 17);
    expect(parts.join('')).toBe('😀'.repeat(20));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(17);
  });

  it('keeps a code block whole when it fits, moving it to the next part', () => {
    const prose = 'p'.repeat(50);
    const code = '```ts\nconst a = 1;\nconst b = 2;\n```';
    expect(splitMessage(`${prose}\n\n${code}`, 60)).toEqual([prose, code]);
  });

  it('closes and reopens an oversized code block with its language', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const parts = splitMessage(`Intro.\n\n\`\`\`python\n${lines.join('\n')}\n\`\`\`\n\nOutro.`, 100);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(100);
      expect(fenceCount(part) % 2).toBe(0);
    }
    const coded = parts.filter((p) => p.includes('line '));
    for (const part of coded) expect(part).toMatch(/```python\n[\s\S]*\n```/);
    expect(parts.at(-1)).toMatch(/\n```\n\nOutro\.$/);
  });

  it('splits a 9,000-character answer for Telegram into three parts', () => {
    const paragraphs = Array.from({ length: 90 }, (_, i) => `${i} ${'kata '.repeat(19)}`.trim());
    const parts = splitMessage(paragraphs.join('\n\n'), MESSAGE_LIMITS.telegram);
    expect(parts).toHaveLength(3);
    expect(content(parts)).toBe(paragraphs.join('').replace(/\s+/g, ''));
  });

  it('properties: parts fit, are non-blank, have balanced fences, and keep all content', () => {
    fc.assert(
      fc.property(document, fc.constantFrom(2000, 3500, 4096, 300, 120), (text, limit) => {
        const parts = splitMessage(text, limit);
        for (const part of parts) {
          expect(part.length).toBeLessThanOrEqual(limit);
          expect(part.trim()).not.toBe('');
          expect(fenceCount(part) % 2).toBe(0);
        }
        const reopened = parts.map((part) => part.replace(/^```[a-z]*$/gm, ''));
        const original = text.replace(/^```[a-z]*$/gm, '');
        expect(content(reopened)).toBe(original.replace(/\s+/g, ''));
      }),
      { numRuns: 300 },
    );
  });

  it('property: text without fences is rejoined exactly up to whitespace at the cuts, in order', () => {
    fc.assert(
      fc.property(fc.array(paragraph, { maxLength: 20 }), fc.constantFrom(80, 500, 2000), (paras, limit) => {
        const text = paras.join('\n\n');
        const parts = splitMessage(text, limit);
        let cursor = 0;
        for (const part of parts) {
          const at = text.indexOf(part, cursor);
          expect(at).toBeGreaterThanOrEqual(cursor);
          expect(text.slice(cursor, at).trim()).toBe('');
          cursor = at + part.length;
        }
        expect(text.slice(cursor).trim()).toBe('');
      }),
      { numRuns: 200 },
    );
  });
});
