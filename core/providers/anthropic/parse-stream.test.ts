import { describe, expect, it } from 'vitest';
import { drainParts, rejectionOf, sseEvents } from '../../../test/fakes/llm-test-kit.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, type ProviderError } from '../shared/errors.js';
import { parseMessagesStream } from './parse-stream.js';

const start = (usage: Record<string, number>) => [
  'message_start',
  { type: 'message_start', message: { id: 'msg_1', content: [], stop_reason: null, usage } },
];
const blockStart = (index: number, block: Record<string, unknown>) => [
  'content_block_start',
  { type: 'content_block_start', index, content_block: block },
];
const blockDelta = (index: number, delta: Record<string, unknown>) => [
  'content_block_delta',
  { type: 'content_block_delta', index, delta },
];
const messageDelta = (stop: string | null, usage: Record<string, number | null>) => [
  'message_delta',
  { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage },
];
const ping = ['ping', { type: 'ping' }];
const stop = ['message_stop', { type: 'message_stop' }];

describe('parseMessagesStream', () => {
  it('skips pings, keeps signed thinking, numbers tool calls apart from block indexes, keeps cumulative usage', async () => {
    const result = await collectStream(
      parseMessagesStream(
        sseEvents(
          ping,
          start({
            input_tokens: 10,
            cache_read_input_tokens: 90,
            cache_creation_input_tokens: 0,
            output_tokens: 1,
          }),
          blockStart(0, { type: 'thinking', thinking: '' }),
          blockDelta(0, { type: 'thinking_delta', thinking: 'hmm' }),
          blockDelta(0, { type: 'signature_delta', signature: 'c2ln' }),
          blockStart(4, { type: 'redacted_thinking', data: 'b3BhcXVl' }),
          blockStart(1, { type: 'text', text: '' }),
          ping,
          blockDelta(1, { type: 'text_delta', text: 'Let me look.' }),
          blockStart(2, { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} }),
          blockDelta(2, { type: 'input_json_delta', partial_json: '{"x":' }),
          blockDelta(2, { type: 'input_json_delta', partial_json: '1}' }),
          blockStart(3, { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} }),
          blockDelta(3, { type: 'input_json_delta', partial_json: '{}' }),
          messageDelta(null, { output_tokens: 20, input_tokens: null }),
          messageDelta('tool_use', { output_tokens: 42 }),
          stop,
        ),
      ),
    );
    expect(result).toEqual({
      text: 'Let me look.',
      reasoning: 'hmm',
      thinking: [
        { type: 'thinking', thinking: 'hmm', signature: 'c2ln' },
        { type: 'redacted_thinking', data: 'b3BhcXVl' },
      ],
      toolCalls: [
        { id: 'toolu_a', name: 'a', arguments: '{"x":1}' },
        { id: 'toolu_b', name: 'b', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 100, outputTokens: 42, cachedInputTokens: 90, reasoningTokens: 0 },
    });
  });

  it('throws when the stream ends after message_delta but before message_stop', async () => {
    const error = await rejectionOf(
      drainParts(
        parseMessagesStream(
          sseEvents(
            start({ input_tokens: 1, output_tokens: 1 }),
            messageDelta('end_turn', { output_tokens: 3 }),
          ),
        ),
      ),
    );
    expect(isProviderError(error) && error.retryable).toBe(true);
  });

  it('maps error events by type', async () => {
    const limited = (await rejectionOf(
      drainParts(
        parseMessagesStream(
          sseEvents(['error', { type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }]),
        ),
      ),
    )) as ProviderError;
    expect(limited.code).toBe('rate_limited');
    const invalid = (await rejectionOf(
      drainParts(
        parseMessagesStream(
          sseEvents(['error', { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }]),
        ),
      ),
    )) as ProviderError;
    expect(invalid.retryable).toBe(false);
  });
});
