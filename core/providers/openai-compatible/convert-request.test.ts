import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../contract.js';
import { DEEPSEEK_VENDOR } from '../deepseek/provider.js';
import { OPENAI_VENDOR } from '../openai/provider.js';
import { toChatCompletionsBody } from './convert-request.js';

const base: ChatRequest = {
  model: 'm',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
};

describe('toChatCompletionsBody', () => {
  it('sends tool_choice only with tools', () => {
    expect(toChatCompletionsBody({ ...base, toolChoice: 'none' }, OPENAI_VENDOR, false)).not.toHaveProperty(
      'tool_choice',
    );
  });

  it('asks for stream usage and names the token limit per vendor', () => {
    const body = toChatCompletionsBody({ ...base, maxOutputTokens: 9 }, DEEPSEEK_VENDOR, true);
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 9 });
    expect(toChatCompletionsBody({ ...base, maxOutputTokens: 9 }, OPENAI_VENDOR, false)).toMatchObject({
      max_completion_tokens: 9,
    });
  });

  it('keeps an assistant text turn and joins text parts', () => {
    const body = toChatCompletionsBody(
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
          { role: 'assistant', content: [{ type: 'text', text: 'c' }] },
        ],
        responseFormat: { type: 'json_object' },
      },
      OPENAI_VENDOR,
      false,
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'ab' },
      { role: 'assistant', content: 'c' },
    ]);
    expect(body.response_format).toEqual({ type: 'json_object' });
  });
});
