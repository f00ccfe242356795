import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSse, type SseEvent } from './sse.js';

const encoder = new TextEncoder();

async function* chunked(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const at = Math.min(Math.max(cut, start), bytes.length);
    yield bytes.slice(start, at);
    start = at;
  }
  yield bytes.slice(start);
}

async function parseText(text: string, cuts: number[] = []): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const event of parseSse(chunked(encoder.encode(text), cuts))) out.push(event);
  return out;
}

describe('parseSse', () => {
  it('reads the OpenAI data-only dialect up to [DONE]', async () => {
    const events = await parseText('data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n');
    expect(events).toEqual([{ data: '{"a":1}' }, { data: '{"a":2}' }, { data: '[DONE]' }]);
  });

  it('reads named events (Anthropic) and skips comments and blank keep-alives', async () => {
    const text =
      ': keep-alive\n\n\n\nevent: message_start\ndata: {"type":"message_start"}\n\n' +
      'event: ping\ndata: {"type": "ping"}\n\n: another\nevent: message_stop\ndata: {}\n\n';
    expect(await parseText(text)).toEqual([
      { event: 'message_start', data: '{"type":"message_start"}' },
      { event: 'ping', data: '{"type": "ping"}' },
      { event: 'message_stop', data: '{}' },
    ]);
  });

  it('reads the Gemini sentinel-less dialect with CRLF framing', async () => {
    const events = await parseText('data: {"n":1}\r\n\r\ndata: {"n":2}\r\n\r\n');
    expect(events).toEqual([{ data: '{"n":1}' }, { data: '{"n":2}' }]);
  });

  it('joins multi-line data, strips one leading space, ignores unknown fields and a BOM', async () => {
    const events = await parseText('\uFEFFretry: 10\nfoo: bar\ndata:x\ndata:  y\nid: 7\n\n');
    expect(events).toEqual([{ data: 'x\n y', id: '7' }]);
  });

  it('delivers a final event whose blank line never came but drops a partial last line', async () => {
    expect(await parseText('data: {"n":1}\n\ndata: {"n":2}\n')).toEqual([
      { data: '{"n":1}' },
      { data: '{"n":2}' },
    ]);
    expect(await parseText('data: {"n":1}\n\ndata: {"n"')).toEqual([{ data: '{"n":1}' }]);
  });

  it('treats \\r split from its \\n across chunks as one line end', async () => {
    const text = 'data: a\r\n\r\ndata: b\r\n\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      expect(await parseText(text, [cut])).toEqual([{ data: 'a' }, { data: 'b' }]);
    }
    expect(await parseText('data: a\r\r\ndata: b\r\r', [7, 8])).toEqual([{ data: 'a' }, { data: 'b' }]);
  });

  it('passes stream errors through', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('data: 1\n\n');
      throw new Error('socket closed');
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of parseSse(broken())) seen.push(event.data);
      })(),
    ).rejects.toThrow('socket closed');
    expect(seen).toEqual(['1']);
  });
});

const fieldText = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
const eventArb = fc.record(
  {
    event: fc.stringMatching(/^[a-z_]{1,12}$/),
    data: fc.array(fieldText, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['data'] },
);

describe('parseSse properties', () => {
  it('yields the same events however the bytes are chunked and whatever the line endings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 6 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (events, eol, withComments, cuts) => {
          let text = '';
          for (const e of events) {
            if (withComments) text += `: keep-alive${eol}${eol}`;
            if (e.event !== undefined) text += `event: ${e.event}${eol}`;
            for (const line of e.data) text += `data: ${line}${eol}`;
            text += eol;
          }
          const bytes = encoder.encode(text);
          const parsed: SseEvent[] = [];
          const scaled = cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1)));
          for await (const ev of parseSse(chunked(bytes, scaled))) parsed.push(ev);
          const expected = events.map((e) => ({
            ...(e.event === undefined ? {} : { event: e.event }),
            data: e.data.join('\n'),
          }));
          expect(parsed).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never splits a multi-byte UTF-8 character wrongly, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => !/[\r\n]/.test(s)),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (payload, cuts) => {
          const bytes = encoder.encode(`data: ${payload}\n\n`);
          const parsed: SseEvent[] = [];
          for await (const ev of parseSse(
            chunked(
              bytes,
              cuts.map((c) => c % (bytes.length + 1)),
            ),
          ))
            parsed.push(ev);
          expect(parsed).toEqual([{ data: payload }]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
