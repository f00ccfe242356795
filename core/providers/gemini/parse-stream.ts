import type { StreamPart } from '../contract.js';
import { providerNetworkError } from '../shared/errors.js';
import type { SseEvent } from '../shared/sse.js';
import { parseJsonEvent } from '../shared/wire.js';
import { GeminiResponseReader } from './parse-response.js';

/**
 * Gemini's `?alt=sse` stream has no end sentinel: it simply ends. So a stream that ends before any
 * chunk carried a finish reason (or a prompt block reason) is treated as cut and throws.
 */
export async function* parseGeminiStream(events: AsyncIterable<SseEvent>): AsyncGenerator<StreamPart> {
  const reader = new GeminiResponseReader();
  for await (const event of events) {
    yield* reader.read(parseJsonEvent('gemini', event.data));
  }
  const finish = reader.finish();
  if (finish === undefined) throw providerNetworkError('gemini', 'stream ended without a finish reason');
  yield { type: 'finish', reason: finish.reason, raw: finish.raw };
}
