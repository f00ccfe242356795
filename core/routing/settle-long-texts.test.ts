import { describe, expect, it } from 'vitest';
import { settleLongTexts } from './settle-long-texts.js';

describe('settleLongTexts', () => {
  it('reads each long text in a turn of its own, leaving the request as it was', async () => {
    const long = () => 'a'.repeat(300_000) + 'b'.repeat(300_000);
    const request = {
      system: long(),
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: long() },
            { type: 'text' as const, text: 'hi' },
          ],
        },
        {
          role: 'assistant' as const,
          content: [],
          toolCalls: [{ id: 'c', name: 'f', arguments: long() }],
          reasoning: long(),
        },
      ],
    };
    const before = JSON.stringify(request);
    // A turn counter: re-arms itself each turn until the texts are read.
    let turns = 0;
    let settled = false;
    const tick = () => {
      turns += 1;
      if (!settled) setImmediate(tick);
    };
    setImmediate(tick);
    await settleLongTexts(request);
    settled = true;
    // Four long texts (the short one is skipped): four turns passed while they were read.
    expect(turns).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(request)).toBe(before);
  });

  it('gives up no turn for a request without long texts', async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await settleLongTexts({ messages: [{ role: 'user', content: [{ type: 'text', text: 'halo' }] }] });
    expect(ran).toBe(false);
  });
});
