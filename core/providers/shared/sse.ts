/**
 * Incremental Server-Sent Events parser over a byte stream, after the WHATWG event-stream rules.
 * It serves the three upstream dialects alike (it knows nothing about `[DONE]`):
 * - data-only events ending with `data: [DONE]` (OpenAI, DeepSeek): the caller stops at the sentinel;
 * - named events (`event:` then `data:`, Anthropic): `event` is set;
 * - data-only events with no sentinel (Gemini): the stream simply ends.
 * Lines end with `\n`, `\r\n` or `\r`; chunk boundaries may fall anywhere, even inside a UTF-8
 * character or between `\r` and `\n`. Comment lines (`: keep-alive`) and events without data (blank
 * keep-alive lines) are skipped. Departing from the spec for robustness: an event whose last line was
 * complete but whose closing blank line never came is still delivered when the stream ends; a partial
 * last line is dropped. Stream errors propagate unchanged.
 */
export interface SseEvent {
  /** The `event:` name, absent for data-only events. */
  event?: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  id?: string;
}

export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8');
  const parser = new SseLineParser();
  for await (const chunk of body) {
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}

/** The text half of the parser, exposed for callers that already hold decoded text. */
export class SseLineParser {
  private buffer = '';
  private lastWasCR = false;
  private sawFirstLine = false;
  private data: string[] = [];
  private eventName: string | undefined;
  private lastId: string | undefined;

  *push(text: string): Generator<SseEvent> {
    if (text === '') return;
    let start = 0;
    let input = text;
    if (this.lastWasCR && input.startsWith('\n')) input = input.slice(1);
    this.lastWasCR = false;
    for (let i = 0; i < input.length; i++) {
      const ch = input.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      const line = this.buffer + input.slice(start, i);
      this.buffer = '';
      if (ch === 13) {
        if (i + 1 < input.length) {
          if (input.charCodeAt(i + 1) === 10) i++;
        } else {
          this.lastWasCR = true;
        }
      }
      start = i + 1;
      const event = this.line(line);
      if (event) yield event;
    }
    this.buffer += input.slice(start);
  }

  *end(): Generator<SseEvent> {
    this.buffer = '';
    const event = this.dispatch();
    if (event) yield event;
  }

  private line(raw: string): SseEvent | undefined {
    let line = raw;
    if (!this.sawFirstLine) {
      this.sawFirstLine = true;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const name = this.eventName;
    this.data = [];
    this.eventName = undefined;
    if (data.length === 0) return undefined;
    const event: SseEvent = { data: data.join('\n') };
    if (name !== undefined && name !== '') event.event = name;
    if (this.lastId !== undefined) event.id = this.lastId;
    return event;
  }
}
