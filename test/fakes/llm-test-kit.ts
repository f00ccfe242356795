import type { SseEvent } from '../../core/providers/shared/sse.js';

/** Small helpers for tests that drive chat providers against the LLM fakes. */

export async function drainParts<T>(parts: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

/** Resolves with what the promise rejected with; fails if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a result');
}

/** Feeds already-framed SSE events to a stream parser, for parser tests without a server. */
export async function* sseEvents(
  ...events: Array<SseEvent | [string, unknown] | unknown>
): AsyncGenerator<SseEvent> {
  for (const event of events) {
    if (Array.isArray(event) && event.length === 2 && typeof event[0] === 'string') {
      yield { event: event[0], data: JSON.stringify(event[1]) };
    } else if (
      typeof event === 'object' &&
      event !== null &&
      'data' in event &&
      typeof event.data === 'string'
    ) {
      yield event as SseEvent;
    } else {
      yield { data: JSON.stringify(event) };
    }
  }
}

/** A 1x1 transparent PNG, base64, for image-part tests. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
