import type { FinishReason, StreamPart } from '../contract.js';
import { providerNetworkError } from '../shared/errors.js';
import type { SseEvent } from '../shared/sse.js';
import { isObject, parseJsonEvent, str } from '../shared/wire.js';
import { errorFromStreamEvent } from './errors.js';
import { mapFinishReason, mapUsage } from './map-usage.js';
import { contentText } from './parse-response.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/**
 * Turns `chat.completion.chunk` events into stream parts. Usage is accepted on any chunk (OpenAI
 * sends a separate last chunk with empty `choices`, DeepSeek puts it on the finish chunk) and each
 * one is passed on; `finish` is emitted once, at `[DONE]`, after the last usage. An `error` event or
 * an `{"error":...}` chunk throws; so does a stream that ends without `[DONE]` (or, for lenient
 * vendors, without any finish reason).
 */
export async function* parseChatCompletionStream(
  vendor: OpenAICompatibleVendor,
  events: AsyncIterable<SseEvent>,
): AsyncGenerator<StreamPart> {
  let rawFinish: string | undefined;
  let refused = false;
  let done = false;

  for await (const event of events) {
    if (event.data === '[DONE]') {
      done = true;
      break;
    }
    const chunk = parseJsonEvent(vendor.id, event.data);
    if (event.event === 'error')
      throw errorFromStreamEvent(vendor, isObject(chunk) ? (chunk.error ?? chunk) : {});
    if (!isObject(chunk)) continue;
    if (chunk.error !== undefined && chunk.error !== null) throw errorFromStreamEvent(vendor, chunk.error);

    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) {
      if (!isObject(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
      const delta = isObject(choice.delta) ? choice.delta : {};
      const reasoning = str(delta.reasoning_content);
      if (reasoning) yield { type: 'reasoning-delta', text: reasoning };
      const text = contentText(delta.content);
      if (text !== '') yield { type: 'text-delta', text };
      if (typeof delta.refusal === 'string' && delta.refusal !== '') refused = true;
      if (Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          if (!isObject(call)) continue;
          const fn = isObject(call.function) ? call.function : {};
          const id = str(call.id);
          const name = str(fn.name);
          yield {
            type: 'tool-call-delta',
            index: typeof call.index === 'number' ? call.index : 0,
            ...(id === undefined ? {} : { id }),
            ...(name === undefined ? {} : { name }),
            argumentsDelta: str(fn.arguments) ?? '',
          };
        }
      }
      const finish = str(choice.finish_reason);
      if (finish !== undefined) rawFinish = finish;
    }

    const usage = mapUsage(chunk.usage, vendor);
    if (usage !== undefined) yield { type: 'usage', usage };
  }

  if (!done && (vendor.requiresDoneSentinel || rawFinish === undefined)) {
    throw providerNetworkError(vendor.id, 'stream ended before it was complete');
  }
  const reason: FinishReason = refused ? 'content_filter' : mapFinishReason(rawFinish, vendor);
  yield { type: 'finish', reason, raw: rawFinish };
}
