import { contentRefused, type ImageResult, imageContentType, type MediaFile } from '../media-contract.js';
import { ProviderError, providerProtocolError } from '../shared/errors.js';
import { isObject, str } from '../shared/wire.js';
import { mapFinishReason, mapUsageMetadata } from './map-usage.js';

/**
 * Reads one `GenerateContentResponse` from an image model. Safety in both dialects is a refusal
 * (`content_refused`, not billed): a blocked prompt (HTTP 200, `promptFeedback.blockReason`, no
 * candidates) and a SAFETY-family finish reason (`IMAGE_SAFETY`, `PROHIBITED_CONTENT`, ...).
 * Thought parts (the model's drafts) are not results.
 */
export function parseImageResponse(body: unknown): ImageResult {
  if (!isObject(body)) throw providerProtocolError('gemini', 'response is not an object');
  const feedback = isObject(body.promptFeedback) ? body.promptFeedback : {};
  const blockReason = str(feedback.blockReason);
  if (blockReason !== undefined) throw contentRefused('gemini', blockReason);

  const candidate =
    Array.isArray(body.candidates) && isObject(body.candidates[0]) ? body.candidates[0] : undefined;
  if (candidate === undefined) throw providerProtocolError('gemini', 'response has no candidates');
  const finishReason = str(candidate.finishReason);
  if (mapFinishReason(finishReason, false) === 'content_filter')
    throw contentRefused('gemini', finishReason!);

  const content = isObject(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(content.parts) ? content.parts.filter(isObject) : [];
  const images: MediaFile[] = [];
  const texts: string[] = [];
  for (const part of parts) {
    if (part.thought === true) continue;
    const inline = isObject(part.inlineData)
      ? part.inlineData
      : isObject(part.inline_data)
        ? part.inline_data
        : undefined;
    const data = str(inline?.data);
    if (data !== undefined) {
      const bytes = Buffer.from(data, 'base64');
      images.push({
        bytes,
        contentType: imageContentType(bytes, str(inline?.mimeType) ?? str(inline?.mime_type)),
      });
      continue;
    }
    const text = str(part.text);
    if (text !== undefined && text.trim() !== '') texts.push(text.trim());
  }
  if (images.length === 0) {
    // NO_IMAGE / IMAGE_OTHER / a text-only answer: the model declined without a safety reason.
    throw new ProviderError(
      'upstream_error',
      `gemini returned no image (${finishReason ?? 'no finish reason'})`,
      {
        provider: 'gemini',
        retryable: false,
        upstreamType: finishReason ?? 'NO_IMAGE',
      },
    );
  }
  const usage = mapUsageMetadata(body.usageMetadata);
  return {
    images,
    ...(usage === undefined
      ? {}
      : { usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } }),
    ...(texts.length === 0 ? {} : { revisedPrompt: texts.join('\n') }),
  };
}
