import { errorFromResponse } from '../openai-compatible/errors.js';
import type { OpenAICompatibleVendor } from '../openai-compatible/vendor.js';
import { providerProtocolError } from '../shared/errors.js';
import type { ProviderOptions } from '../shared/options.js';
import { count, isObject, joinUrl } from '../shared/wire.js';
import type { TranscriptionProvider, TranscriptionRequest, TranscriptionResult } from './contract.js';

/**
 * `POST {base}/audio/transcriptions` as OpenAI documents it (`CreateTranscriptionRequest`): a
 * multipart form with `file` (an extension-bearing name and a matching content type: the format is
 * read from them), `model`, `response_format: "json"` (the one format every transcription model
 * answers, gpt-4o models included), and optional `language` and `prompt`. The answer
 * (`CreateTranscriptionResponseJson`) is `{text, usage}` where `usage` is `{type:"duration", seconds}`
 * (whisper) or `{type:"tokens", input_tokens, output_tokens, ...}` (gpt-4o transcribe models).
 * Errors are read as the chat endpoint's (same error body).
 */
export function createOpenAITranscriptionProvider(
  vendor: { id: 'openai'; nonRetryableErrorTypes?: OpenAICompatibleVendor['nonRetryableErrorTypes'] },
  options: ProviderOptions,
): TranscriptionProvider {
  const url = joinUrl(options.baseUrl, '/audio/transcriptions');

  return {
    id: vendor.id,
    async transcribe(request: TranscriptionRequest): Promise<TranscriptionResult> {
      const form = new FormData();
      const { audio } = request;
      form.set('file', new Blob([audio.bytes], { type: audio.contentType }), audio.fileName);
      form.set('model', request.model);
      form.set('response_format', 'json');
      if (request.language !== undefined) form.set('language', request.language);
      if (request.prompt !== undefined) form.set('prompt', request.prompt);
      // The platform's own encoder writes the boundary and the content type naming it.
      const encoded = new Response(form);
      const headers: Record<string, string> = {
        'content-type': encoded.headers.get('content-type') ?? 'multipart/form-data',
      };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      const res = await options.http.request(url, {
        method: 'POST',
        provider: vendor.id,
        headers,
        body: new Uint8Array(await encoded.arrayBuffer()),
        signal: request.signal,
      });
      if (res.status < 200 || res.status >= 300) throw await errorFromResponse(vendor, res);
      return parseTranscription(vendor.id, await res.json());
    },
  };
}

function parseTranscription(provider: string, body: unknown): TranscriptionResult {
  if (!isObject(body) || typeof body.text !== 'string') {
    throw providerProtocolError(provider, 'the transcription answer has no "text"');
  }
  const usage = isObject(body.usage) ? body.usage : undefined;
  const reported =
    usage?.type === 'duration' && typeof usage.seconds === 'number'
      ? usage.seconds
      : typeof body.duration === 'number'
        ? body.duration
        : undefined;
  const seconds = reported !== undefined && Number.isFinite(reported) && reported >= 0 ? reported : undefined;
  const inputTokens = usage?.type === 'tokens' ? count(usage.input_tokens) : undefined;
  const outputTokens = usage?.type === 'tokens' ? count(usage.output_tokens) : undefined;
  return {
    text: body.text,
    ...(seconds === undefined ? {} : { seconds }),
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
  };
}
