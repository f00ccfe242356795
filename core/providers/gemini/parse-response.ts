import { randomUUID } from 'node:crypto';
import type { ChatResult, FinishReason, StreamPart } from '../contract.js';
import { providerProtocolError } from '../shared/errors.js';
import { isObject, str } from '../shared/wire.js';
import { errorFromStreamChunk } from './errors.js';
import { mapFinishReason, mapUsageMetadata } from './map-usage.js';

/**
 * Reads `GenerateContentResponse` objects: the whole answer (generateContent) or one stream chunk
 * each (streamGenerateContent). Text parts are deltas (thought parts skipped); function calls come
 * whole and become one tool-call delta each, keeping Gemini's `id` or, when it sends none, one made
 * up to be unique in any conversation (a per-response counter would repeat across turns and send a
 * result back under another call's name), and keeping the part's `thoughtSignature`; usage is
 * cumulative on every chunk. A prompt blocked by safety is HTTP 200 with `promptFeedback.blockReason`
 * and no candidates: it finishes as `content_filter`, as do SAFETY-family finish reasons.
 */
export class GeminiResponseReader {
  private toolCalls = 0;
  private rawFinish: string | undefined;
  private blockReason: string | undefined;

  read(chunk: unknown): StreamPart[] {
    if (!isObject(chunk)) throw providerProtocolError('gemini', 'response is not a JSON object');
    if (chunk.error !== undefined) throw errorFromStreamChunk(chunk.error);
    const parts: StreamPart[] = [];
    const feedback = isObject(chunk.promptFeedback) ? chunk.promptFeedback : {};
    const blockReason = str(feedback.blockReason);
    if (blockReason !== undefined) this.blockReason = blockReason;

    const candidates = Array.isArray(chunk.candidates) ? chunk.candidates : [];
    const candidate = candidates.find((c) => isObject(c) && (c.index === undefined || c.index === 0));
    if (isObject(candidate)) {
      const content = isObject(candidate.content) ? candidate.content : {};
      for (const part of Array.isArray(content.parts) ? content.parts : []) {
        if (!isObject(part)) continue;
        if (typeof part.text === 'string' && part.text !== '' && part.thought !== true) {
          parts.push({ type: 'text-delta', text: part.text });
        }
        if (isObject(part.functionCall)) {
          const index = this.toolCalls++;
          const signature = str(part.thoughtSignature);
          parts.push({
            type: 'tool-call-delta',
            index,
            id: str(part.functionCall.id) || newCallId(),
            name: str(part.functionCall.name) ?? '',
            argumentsDelta: JSON.stringify(isObject(part.functionCall.args) ? part.functionCall.args : {}),
            ...(signature ? { signature } : {}),
          });
        }
      }
      const finish = str(candidate.finishReason);
      if (finish !== undefined) this.rawFinish = finish;
    }

    const usage = mapUsageMetadata(chunk.usageMetadata);
    if (usage !== undefined) parts.push({ type: 'usage', usage });
    return parts;
  }

  /** The finish, once a finish reason or a block reason was seen; undefined until then. */
  finish(): { reason: FinishReason; raw: string } | undefined {
    if (this.blockReason !== undefined) return { reason: 'content_filter', raw: this.blockReason };
    if (this.rawFinish === undefined) return undefined;
    return { reason: mapFinishReason(this.rawFinish, this.toolCalls > 0), raw: this.rawFinish };
  }
}

/** Folds a whole `generateContent` answer into a result. */
export function parseGenerateContent(body: unknown): ChatResult {
  const reader = new GeminiResponseReader();
  const parts = reader.read(body);
  const finish = reader.finish();
  if (finish === undefined)
    throw providerProtocolError('gemini', 'response has no finish reason and no block reason');
  let text = '';
  const toolCalls: ChatResult['toolCalls'] = [];
  let usage: ChatResult['usage'];
  for (const part of parts) {
    if (part.type === 'text-delta') text += part.text;
    if (part.type === 'tool-call-delta') {
      toolCalls.push({
        id: part.id ?? '',
        name: part.name ?? '',
        arguments: part.argumentsDelta,
        ...(part.signature ? { signature: part.signature } : {}),
      });
    }
    if (part.type === 'usage') usage = part.usage;
  }
  return {
    text,
    toolCalls,
    finishReason: finish.reason,
    rawFinishReason: finish.raw,
    ...(usage === undefined ? {} : { usage }),
  };
}

/** A call id of our own for a call Gemini sent without one; random, so unique across turns. */
function newCallId(): string {
  return `call_${randomUUID().replaceAll('-', '')}`;
}
