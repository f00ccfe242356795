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
  let usage: Usage | undefined;
  const calls = new Map<number, ToolCall>();
  for await (const part of parts) {
    switch (part.type) {
      case 'text-delta':
        text += part.text;
        break;
      case 'tool-call-delta': {
        const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
        if (part.id) call.id = part.id;
        if (part.name) call.name = part.name;
        call.arguments += part.argumentsDelta;
        calls.set(part.index, call);
        break;
      }
      case 'usage':
        usage = part.usage;
        break;
      case 'finish': {
        const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
        return {
          text,
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
