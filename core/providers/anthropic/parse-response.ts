import type { ChatResult, ThinkingBlock, ToolCall } from '../contract.js';
import { providerProtocolError } from '../shared/errors.js';
import { isObject, str } from '../shared/wire.js';
import { mapStopReason, mergeUsage, serviceTierOf, toUsage } from './map-usage.js';

/** Reads a `type:"message"` body: text blocks joined, `tool_use` blocks as calls, thinking blocks kept in order. */
export function parseMessage(body: unknown): ChatResult {
  if (!isObject(body) || !Array.isArray(body.content)) {
    throw providerProtocolError('anthropic', 'response is not a message');
  }
  let text = '';
  const toolCalls: ToolCall[] = [];
  const thinking: ThinkingBlock[] = [];
  for (const block of body.content) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'thinking') {
      thinking.push({
        type: 'thinking',
        thinking: str(block.thinking) ?? '',
        signature: str(block.signature) ?? '',
      });
    }
    if (block.type === 'redacted_thinking')
      thinking.push({ type: 'redacted_thinking', data: str(block.data) ?? '' });
    if (block.type === 'tool_use') {
      toolCalls.push({
        id: str(block.id) ?? '',
        name: str(block.name) ?? '',
        arguments: JSON.stringify(isObject(block.input) ? block.input : {}),
      });
    }
  }
  const raw = str(body.stop_reason);
  const usage = toUsage(mergeUsage({}, body.usage));
  const serviceTier = serviceTierOf(body.usage);
  const reasoning = thinking.map((b) => (b.type === 'thinking' ? b.thinking : '')).join('');
  return {
    text,
    ...(reasoning === '' ? {} : { reasoning }),
    ...(thinking.length === 0 ? {} : { thinking }),
    toolCalls,
    finishReason: mapStopReason(raw),
    ...(raw === undefined ? {} : { rawFinishReason: raw }),
    ...(usage === undefined ? {} : { usage }),
    ...(serviceTier === undefined ? {} : { info: { serviceTier } }),
  };
}
