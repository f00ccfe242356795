import { describe, expect, it } from 'vitest';
import type { ChatInputRequest } from '../metering/index.js';
import { promptRecord } from './prompt-record.js';

const text = (t: string) => ({ type: 'text' as const, text: t });

describe('promptRecord', () => {
  it('keeps a prompt within the limit whole, images as their size', () => {
    const request: ChatInputRequest = {
      system: 'be brief',
      messages: [
        { role: 'user', content: [text('halo'), { type: 'image', mediaType: 'image/png', data: 'AAAA' }] },
        { role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":1}' }] },
        { role: 'tool', toolCallId: 'c1', content: [text('42')] },
      ],
      tools: [{ name: 'f', parameters: {} }] as ChatInputRequest['tools'],
    };
    expect(promptRecord(request)).toEqual({
      system: 'be brief',
      messages: [
        { role: 'user', content: [text('halo'), { type: 'image', mediaType: 'image/png', bytes: 3 }] },
        { role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":1}' }] },
        { role: 'tool', toolCallId: 'c1', content: [text('42')] },
      ],
      tools: ['f'],
    });
  });

  it('keeps texts up to the limit, the newest message first, each cut one saying how much was not stored', () => {
    const request: ChatInputRequest = {
      system: 'abcd',
      messages: [
        {
          role: 'assistant',
          content: [text('later')],
          reasoning: 'why',
          toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }],
        },
        { role: 'user', content: [text('0123456789'), text('zz')] },
      ],
    };
    expect(promptRecord(request, 14)).toEqual({
      system: '',
      systemOmittedChars: 4,
      messages: [
        {
          role: 'assistant',
          content: [{ type: 'text', text: 'la', omittedChars: 3 }],
          toolCalls: [{ id: 'c', name: 'f', arguments: '', omittedChars: 2 }],
          reasoning: '',
          reasoningOmittedChars: 3,
        },
        { role: 'user', content: [text('0123456789'), text('zz')] },
      ],
      omittedChars: 12,
    });
    // A budget ending inside the newest message: its head is kept, everything older is omitted.
    expect(promptRecord(request, 4).messages).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'text', text: '', omittedChars: 5 }],
        toolCalls: [{ id: 'c', name: 'f', arguments: '', omittedChars: 2 }],
        reasoning: '',
        reasoningOmittedChars: 3,
      },
      {
        role: 'user',
        content: [
          { type: 'text', text: '0123', omittedChars: 6 },
          { type: 'text', text: '', omittedChars: 2 },
        ],
      },
    ]);
  });

  it('cuts a system prompt with its own marker and never splits a surrogate pair', () => {
    const record = promptRecord({ system: 'ab😀cd', messages: [] }, 3);
    expect(record).toEqual({ system: 'ab', systemOmittedChars: 4, messages: [], omittedChars: 4 });
  });

  it('stores a bounded record of a megabytes prompt', () => {
    const long = 'halo dunia '.repeat(800_000);
    const record = promptRecord({ messages: [{ role: 'user', content: [text(long)] }] });
    const json = JSON.stringify(record);
    expect(json.length).toBeLessThan(40 * 1024);
    expect(record.omittedChars).toBe(long.length - 32 * 1024);
  });
});
