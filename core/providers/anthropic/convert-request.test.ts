import { describe, expect, it } from 'vitest';
import { toMessagesBody } from './convert-request.js';

describe('toMessagesBody', () => {
  it('sends top_p only without temperature, and tool_choice only with tools', () => {
    const messages = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    expect(
      toMessagesBody({ model: 'm', messages, temperature: 0.3, topP: 0.9, toolChoice: 'auto' }, false),
    ).toEqual({
      model: 'm',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      temperature: 0.3,
    });
    expect(toMessagesBody({ model: 'm', messages, topP: 0.9 }, true)).toMatchObject({
      top_p: 0.9,
      stream: true,
    });
  });

  it('merges consecutive user turns, drops empty text, and passes malformed tool arguments as {}', () => {
    const body = toMessagesBody(
      {
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: '' },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: 'b' }] },
          {
            role: 'assistant',
            content: [{ type: 'text', text: 'c' }],
            toolCalls: [{ id: 't', name: 'f', arguments: '{oops' }],
          },
        ],
      },
      false,
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'c' },
          { type: 'tool_use', id: 't', name: 'f', input: {} },
        ],
      },
    ]);
  });
});
