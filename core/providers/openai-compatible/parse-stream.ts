import type { FinishReason, ResponseInfo, StreamPart } from '../contract.js';
import { providerNetworkError } from '../shared/errors.js';
import type { SseEvent } from '../shared/sse.js';
import { isObject, parseJsonEvent, str } from '../shared/wire.js';
import { errorFromStreamEvent } from './errors.js';
import { mapLogprobs, mapResponseInfo } from './map-logprobs.js';
import { mapFinishReason, mapUsage } from './map-usage.js';
import { contentText } from './parse-response.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/**
 * Turns `chat.completion.chunk` events into stream parts. Usage is accepted on any chunk (OpenAI
 * sends a separate last chunk with empty `choices`, DeepSeek puts it on the finish chunk) and each
 * one is passed on; `finish` is emitted once, at `[DONE]`, after the last usage. With several answers
 * (`n`), parts of the others carry their choice index and each ends with `choice-finish` when its
 * finish reason arrives. `system_fingerprint` and `service_tier` become a `response-info` part when
 * first seen or changed; a choice's `logprobs.content` rides on its text delta. An `error` event or
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
  const othersRefused = new Set<number>();
  /** The response facts last passed on: every chunk repeats them, only a change is news. */
  let seen: ResponseInfo | undefined;

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

    const info = mapResponseInfo(chunk);
    if (
      info &&
      (info.systemFingerprint !== seen?.systemFingerprint || info.serviceTier !== seen?.serviceTier)
    ) {
      seen = info;
      yield { type: 'response-info', ...info };
    }
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    for (const choice of choices) {
      if (!isObject(choice)) continue;
      const index = typeof choice.index === 'number' && choice.index > 0 ? choice.index : 0;
      const which = index === 0 ? {} : { choice: index };
      const delta = isObject(choice.delta) ? choice.delta : {};
      const reasoning = str(delta.reasoning_content);
      if (reasoning) yield { type: 'reasoning-delta', text: reasoning, ...which };
      const text = contentText(delta.content);
      const logprobs = mapLogprobs(choice.logprobs);
      if (text !== '' || (logprobs !== undefined && logprobs.length > 0)) {
        yield { type: 'text-delta', text, ...which, ...(logprobs?.length ? { logprobs } : {}) };
      }
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        if (index === 0) refused = true;
        else othersRefused.add(index);
      }
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
            ...which,
          };
        }
      }
      const finish = str(choice.finish_reason);
      if (finish === undefined) continue;
      if (index === 0) rawFinish = finish;
      else {
        const reason = othersRefused.has(index) ? 'content_filter' : mapFinishReason(finish, vendor);
        yield { type: 'choice-finish', choice: index, reason, raw: finish };
      }
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
