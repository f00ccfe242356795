import type { StreamPart } from '../contract.js';
import { providerNetworkError } from '../shared/errors.js';
import type { SseEvent } from '../shared/sse.js';
import { isObject, parseJsonEvent, str } from '../shared/wire.js';
import { errorFromStreamEvent } from './errors.js';
import { type AnthropicUsageState, mapStopReason, mergeUsage, serviceTierOf, toUsage } from './map-usage.js';

/**
 * Turns the named-event stream into stream parts: `message_start` (initial usage),
 * `content_block_start/delta/stop` (text, thinking as reasoning deltas with the block's
 * `signature_delta` on the last one, redacted thinking whole, and tool calls; tool calls are numbered in order of
 * appearance, independently of block indexes), `message_delta` (stop reason and cumulative usage),
 * `message_stop` (the end). A tool call whose block closes without any `input_json_delta` text (a
 * tool without arguments) gets `{}`, so its arguments are always JSON. `ping` is skipped; `error`
 * throws. Usage is emitted as it changes, each
 * time the cumulative total; a stream that ends without `message_stop` throws.
 */
export async function* parseMessagesStream(events: AsyncIterable<SseEvent>): AsyncGenerator<StreamPart> {
  let usage: AnthropicUsageState = {};
  let rawStop: string | undefined;
  const toolIndexByBlock = new Map<number, number>();
  /** Tool-call blocks that have received argument text so far. */
  const withArguments = new Set<number>();

  for await (const event of events) {
    const data = parseJsonEvent('anthropic', event.data);
    const type = event.event ?? (isObject(data) ? str(data.type) : undefined);
    if (!isObject(data)) continue;
    switch (type) {
      case 'ping':
        break;
      case 'error':
        throw errorFromStreamEvent(data);
      case 'message_start': {
        const message = isObject(data.message) ? data.message : {};
        usage = mergeUsage(usage, message.usage);
        const current = toUsage(usage);
        if (current) yield { type: 'usage', usage: current };
        const serviceTier = serviceTierOf(message.usage);
        if (serviceTier) yield { type: 'response-info', serviceTier };
        break;
      }
      case 'content_block_start': {
        const block = isObject(data.content_block) ? data.content_block : {};
        const blockIndex = typeof data.index === 'number' ? data.index : 0;
        if (block.type === 'tool_use') {
          const index = toolIndexByBlock.size;
          toolIndexByBlock.set(blockIndex, index);
          const id = str(block.id);
          const name = str(block.name);
          yield {
            type: 'tool-call-delta',
            index,
            ...(id === undefined ? {} : { id }),
            ...(name === undefined ? {} : { name }),
            argumentsDelta: '',
          };
        } else if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
          yield { type: 'text-delta', text: block.text };
        } else if (block.type === 'thinking') {
          // The block's start may already carry text; its signature comes as a signature_delta.
          const text = str(block.thinking) ?? '';
          if (text !== '') yield { type: 'reasoning-delta', text };
        } else if (block.type === 'redacted_thinking') {
          yield { type: 'reasoning-delta', text: '', redacted: str(block.data) ?? '' };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = isObject(data.delta) ? data.delta : {};
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
          yield { type: 'text-delta', text: delta.text };
        } else if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
          if (delta.thinking !== '') yield { type: 'reasoning-delta', text: delta.thinking };
        } else if (delta.type === 'signature_delta' && typeof delta.signature === 'string') {
          yield { type: 'reasoning-delta', text: '', signature: delta.signature };
        } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const index = toolIndexByBlock.get(typeof data.index === 'number' ? data.index : -1);
          if (index !== undefined && delta.partial_json !== '') {
            withArguments.add(index);
            yield { type: 'tool-call-delta', index, argumentsDelta: delta.partial_json };
          }
        }
        break;
      }
      case 'content_block_stop': {
        const index = toolIndexByBlock.get(typeof data.index === 'number' ? data.index : -1);
        if (index !== undefined && !withArguments.has(index)) {
          withArguments.add(index);
          yield { type: 'tool-call-delta', index, argumentsDelta: '{}' };
        }
        break;
      }
      case 'message_delta': {
        const delta = isObject(data.delta) ? data.delta : {};
        rawStop = str(delta.stop_reason) ?? rawStop;
        if (data.usage !== undefined && data.usage !== null) {
          usage = mergeUsage(usage, data.usage);
          const current = toUsage(usage);
          if (current) yield { type: 'usage', usage: current };
        }
        break;
      }
      case 'message_stop':
        yield { type: 'finish', reason: mapStopReason(rawStop), raw: rawStop };
        return;
    }
  }
  throw providerNetworkError('anthropic', 'stream ended before message_stop');
}
