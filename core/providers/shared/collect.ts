import type { ChatResult, StreamPart, ToolCall, Usage } from '../contract.js';
import { providerNetworkError } from './errors.js';

/**
 * Folds a stream into the result `generate` would have returned: text concatenated, tool-call deltas
 * assembled by index, the last usage kept. A stream without `finish` is an error, never a result.
 */
export async function collectStream(
  parts: AsyncIterable<StreamPart>,
  provider = 'upstream',
): Promise<ChatResult> {
  let text = '';
  let reasoning = '';
  let usage: Usage | undefined;
  const calls = new Map<number, ToolCall>();
  for await (const part of parts) {
    switch (part.type) {
      case 'text-delta':
        text += part.text;
        break;
      case 'reasoning-delta':
        reasoning += part.text;
        break;
      case 'tool-call-delta':
        calls.set(part.index, foldToolCallDelta(calls.get(part.index), part));
        break;
      case 'usage':
        usage = part.usage;
        break;
      case 'finish': {
        const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
        return {
          text,
          ...(reasoning === '' ? {} : { reasoning }),
          toolCalls,
          finishReason: part.reason,
          ...(part.raw === undefined ? {} : { rawFinishReason: part.raw }),
          ...(usage === undefined ? {} : { usage }),
        };
      }
    }
  }
  throw providerNetworkError(provider, 'stream ended without a finish');
}

/** Adds one tool-call delta to the call it continues (or starts it): the one fold every consumer uses. */
export function foldToolCallDelta(
  call: ToolCall | undefined,
  part: Extract<StreamPart, { type: 'tool-call-delta' }>,
): ToolCall {
  const next = call ?? { id: '', name: '', arguments: '' };
  if (part.id) next.id = part.id;
  if (part.name) next.name = part.name;
  if (part.signature) next.signature = part.signature;
  next.arguments += part.argumentsDelta;
  return next;
}
