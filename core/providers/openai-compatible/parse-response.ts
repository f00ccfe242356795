import type { ChatResult, FinishReason, ToolCall } from '../contract.js';
import { providerProtocolError } from '../shared/errors.js';
import { isObject, str } from '../shared/wire.js';
import { errorFromStreamEvent } from './errors.js';
import { mapFinishReason, mapUsage } from './map-usage.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/**
 * Reads a `chat.completion` body. A non-empty `message.refusal` is a safety refusal and reported
 * as `content_filter`, like the `content_filter` finish reason, so it is not billed.
 */
export function parseChatCompletion(vendor: OpenAICompatibleVendor, body: unknown): ChatResult {
  if (!isObject(body)) throw providerProtocolError(vendor.id, 'response is not a JSON object');
  if (body.error !== undefined && body.error !== null) throw errorFromStreamEvent(vendor, body.error);
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const choice = choices.find((c) => isObject(c) && (c.index === 0 || c.index === undefined)) ?? choices[0];
  if (!isObject(choice)) throw providerProtocolError(vendor.id, 'response has no choices');
  const message = isObject(choice.message) ? choice.message : {};

  const toolCalls: ToolCall[] = [];
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (!isObject(call) || !isObject(call.function)) continue;
      toolCalls.push({
        id: str(call.id) ?? '',
        name: str(call.function.name) ?? '',
        arguments: str(call.function.arguments) ?? '',
      });
    }
  }

  const raw = str(choice.finish_reason);
  const refused = typeof message.refusal === 'string' && message.refusal !== '';
  const finishReason: FinishReason = refused ? 'content_filter' : mapFinishReason(raw, vendor);
  const usage = mapUsage(body.usage, vendor);
  const reasoning = str(message.reasoning_content) ?? '';
  return {
    text: contentText(message.content),
    ...(reasoning === '' ? {} : { reasoning }),
    toolCalls,
    finishReason,
    ...(raw === undefined ? {} : { rawFinishReason: raw }),
    ...(usage === undefined ? {} : { usage }),
  };
}

/** `content` is a string, null, or (some compatible servers) an array of text parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) if (isObject(part) && typeof part.text === 'string') out += part.text;
  return out;
}
