import type { ChatResult, ChoiceResult, FinishReason, ToolCall } from '../contract.js';
import { providerProtocolError } from '../shared/errors.js';
import { isObject, type JsonObject, str } from '../shared/wire.js';
import { errorFromStreamEvent } from './errors.js';
import { mapLogprobs, mapResponseInfo } from './map-logprobs.js';
import { mapFinishReason, mapUsage } from './map-usage.js';
import type { OpenAICompatibleVendor } from './vendor.js';

/**
 * Reads a `chat.completion` body. A non-empty `message.refusal` is a safety refusal and reported
 * as `content_filter`, like the `content_filter` finish reason, so it is not billed. With several
 * answers (`n`), the one of index 0 is the result and the others are its `choices`.
 */
export function parseChatCompletion(vendor: OpenAICompatibleVendor, body: unknown): ChatResult {
  if (!isObject(body)) throw providerProtocolError(vendor.id, 'response is not a JSON object');
  if (body.error !== undefined && body.error !== null) throw errorFromStreamEvent(vendor, body.error);
  const choices = (Array.isArray(body.choices) ? body.choices : []).filter(isObject);
  const first = choices.find((c) => c.index === 0 || c.index === undefined) ?? choices[0];
  if (!first) throw providerProtocolError(vendor.id, 'response has no choices');
  const { index: _index, ...answer } = parseChoice(vendor, first, 0);
  const others = choices
    .filter((c) => c !== first && typeof c.index === 'number' && c.index > 0)
    .map((c) => parseChoice(vendor, c, c.index as number))
    .sort((a, b) => a.index - b.index);
  const usage = mapUsage(body.usage, vendor);
  const info = mapResponseInfo(body);
  return {
    ...answer,
    ...(usage === undefined ? {} : { usage }),
    ...(others.length > 0 ? { choices: others } : {}),
    ...(info === undefined ? {} : { info }),
  };
}

function parseChoice(vendor: OpenAICompatibleVendor, choice: JsonObject, index: number): ChoiceResult {
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
  const reasoning = str(message.reasoning_content) ?? '';
  const logprobs = mapLogprobs(choice.logprobs);
  return {
    index,
    text: contentText(message.content),
    ...(reasoning === '' ? {} : { reasoning }),
    toolCalls,
    finishReason,
    ...(raw === undefined ? {} : { rawFinishReason: raw }),
    ...(logprobs === undefined ? {} : { logprobs }),
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
