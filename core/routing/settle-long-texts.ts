import type { ChatInputRequest } from '../metering/index.js';
import { PIECED_FROM_CHARS, piecesOf } from '../text-pieces.js';

/**
 * Makes each long text of a request flat, one text per event-loop turn, before anything reads it.
 * Why: the first read of a rope (a slice for the token estimate, the stored head, the upstream body)
 * copies it whole into one string, some 20 ms for 8 MB here; run inside a promise continuation, the
 * copies of several requests would land in the same turn. Reading one character is enough. Texts
 * from `PIECED_FROM_CHARS` on may be ropes (shorter ones cost little to copy either way). Texts
 * rebuilt from known pieces (`core/text-pieces.ts`) are skipped: their readers read the pieces.
 */
export async function settleLongTexts(request: ChatInputRequest): Promise<void> {
  for (const text of longTexts(request)) {
    // A text whose pieces are known is read from them by every reader, never made flat here.
    if (piecesOf(text).length > 1) continue;
    await new Promise((resolve) => setImmediate(resolve));
    text.charCodeAt(0);
  }
}

function* longTexts(request: ChatInputRequest): Generator<string> {
  const long = (text: string | undefined) => text !== undefined && text.length >= PIECED_FROM_CHARS;
  if (long(request.system)) yield request.system!;
  for (const message of request.messages) {
    for (const part of message.content) if (part.type === 'text' && long(part.text)) yield part.text;
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls ?? []) if (long(call.arguments)) yield call.arguments;
    if (long(message.reasoning)) yield message.reasoning!;
  }
}
