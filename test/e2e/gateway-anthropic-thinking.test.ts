import type Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenCostMrp } from '../../core/ledger/index.js';
import { fakeSignature, REDACTED_DATA } from '../fakes/anthropic-extras.js';
import { type GatewayHarness, startGatewayHarness, words } from './gateway-harness.js';

/**
 * Anthropic's extended thinking and prompt caching through `/v1/messages`, with the real Anthropic
 * SDK against the Anthropic fake: thinking blocks (and their stream events) returned and accepted
 * back unmodified; cache writes and reads billed at the catalog's cache prices, exactly as the fake
 * reported them.
 */

/** claude-sonnet-4.5 in the shipped catalog, mRp per 1M tokens. */
const SONNET = {
  inputPerMTokMrp: 49_500_000n,
  outputPerMTokMrp: 247_500_000n,
  cachedInputPerMTokMrp: 4_950_000n,
  cacheWritePerMTokMrp: 61_875_000n,
  cacheWrite1hPerMTokMrp: 99_000_000n,
};

let h: GatewayHarness;

beforeAll(async () => {
  h = await startGatewayHarness();
});
afterAll(() => h.close());

type Usage = Anthropic.Messages.Usage;

/** What the ledger must charge for an Anthropic usage (input, reads and writes are disjoint there). */
function billOf(usage: Usage): bigint {
  const write1h = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const creation = usage.cache_creation_input_tokens ?? 0;
  const read = usage.cache_read_input_tokens ?? 0;
  return tokenCostMrp(
    {
      inputTokens: usage.input_tokens + creation + read,
      cachedInputTokens: read,
      cacheWriteTokens: creation - write1h,
      cacheWrite1hTokens: write1h,
      outputTokens: usage.output_tokens,
    },
    SONNET,
  );
}

const ask = 'kenapa langit biru';
const thinkingText = `Thinking about: ${ask}`;

describe('extended thinking on /v1/messages', () => {
  it('returns the thinking block, bills its tokens as output, and takes it back unmodified', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.anthropicClient(key);
    const first = await client.messages.create({
      model: 'claude-sonnet-4.5',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      messages: [{ role: 'user', content: ask }],
    });
    expect(h.anthropic.requests.at(-1)?.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      thinking: { type: 'enabled', budget_tokens: 2000 },
    });
    expect(first.content[0]).toEqual({
      type: 'thinking',
      thinking: thinkingText,
      signature: fakeSignature(thinkingText),
    });
    expect(first.content[1]).toMatchObject({ type: 'text', text: `Echo: ${ask}` });
    expect(first.usage.output_tokens).toBe(words(`Echo: ${ask}`) + words(thinkingText));
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - billOf(first.usage));

    const second = await client.messages.create({
      model: 'claude-sonnet-4.5',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      messages: [
        { role: 'user', content: ask },
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'lanjut' },
      ],
    });
    expect(second.content[1]).toMatchObject({ type: 'text', text: 'Echo: lanjut' });
    const sent = h.anthropic.requests.at(-1)?.body as { messages: Array<{ content: unknown[] }> };
    expect(sent.messages[1]?.content[0]).toEqual(first.content[0]);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - billOf(first.usage) - billOf(second.usage));
  });

  it('relays thinking_delta, signature_delta and redacted blocks in a stream', async () => {
    const { accountId, key } = await h.account(1000);
    h.anthropic.enqueue({ redactedThinking: true });
    const stream = h.anthropicClient(key).messages.stream({
      model: 'claude-sonnet-4.5',
      max_tokens: 3000,
      thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: ask }],
    });
    const events: Anthropic.Messages.RawMessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const message = await stream.finalMessage();
    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block.type);
    expect(starts).toEqual(['thinking', 'redacted_thinking', 'text']);
    const deltas = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.type);
    expect(deltas.filter((d) => d === 'thinking_delta').length).toBe(words(thinkingText));
    expect(deltas.indexOf('signature_delta')).toBe(words(thinkingText));
    expect(message.content.slice(0, 2)).toEqual([
      { type: 'thinking', thinking: thinkingText, signature: fakeSignature(thinkingText) },
      { type: 'redacted_thinking', data: REDACTED_DATA },
    ]);
    expect(message.content[2]).toMatchObject({ type: 'text', text: `Echo: ${ask}` });
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - billOf(message.usage));
  });

  it("answers the upstream's refusal of a bad budget in Anthropic's shape, and bills nothing", async () => {
    const { accountId, key } = await h.account(1000);
    const error = (await h
      .anthropicClient(key)
      .messages.create({
        model: 'claude-sonnet-4.5',
        max_tokens: 1500,
        thinking: { type: 'enabled', budget_tokens: 2000 },
        messages: [{ role: 'user', content: ask }],
      })
      .catch((e: unknown) => e)) as { status: number; error: { error: { type: string; message: string } } };
    expect(error.status).toBe(400);
    expect(error.error.error.type).toBe('invalid_request_error');
    expect(error.error.error.message).toContain('budget_tokens');
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });
});

describe('prompt caching on /v1/messages', () => {
  it('bills the cache write at the write price, then the read at the read price', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.anthropicClient(key);
    const system = [
      {
        type: 'text' as const,
        text: `Konteks bersama untuk uji cache ${accountId} ${'kata '.repeat(300)}`,
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const first = await client.messages.create({
      model: 'claude-sonnet-4.5',
      max_tokens: 200,
      system,
      messages: [{ role: 'user', content: 'pertanyaan satu' }],
    });
    const prefix = words(system[0]!.text);
    expect(first.usage).toMatchObject({ cache_creation_input_tokens: prefix, cache_read_input_tokens: 0 });
    const afterFirst = 1_000_000n - billOf(first.usage);
    expect(await h.balanceMrp(accountId)).toBe(afterFirst);
    // Writing costs more than plain input: the write price was used.
    expect(billOf(first.usage)).toBeGreaterThan(
      tokenCostMrp(
        { inputTokens: first.usage.input_tokens + prefix, outputTokens: first.usage.output_tokens },
        { inputPerMTokMrp: SONNET.inputPerMTokMrp, outputPerMTokMrp: SONNET.outputPerMTokMrp },
      ),
    );

    const stream = client.messages.stream({
      model: 'claude-sonnet-4.5',
      max_tokens: 200,
      system,
      messages: [{ role: 'user', content: 'pertanyaan dua' }],
    });
    const second = await stream.finalMessage();
    expect(second.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: prefix });
    expect(await h.balanceMrp(accountId)).toBe(afterFirst - billOf(second.usage));
    expect(await h.t.container.core.ledger.verify()).toEqual([]);
  });

  it('bills a one-hour write at its own price and records it on the job', async () => {
    const { accountId, key } = await h.account(1000);
    const { data, response } = await h
      .anthropicClient(key)
      .messages.create({
        model: 'claude-sonnet-4.5',
        max_tokens: 100,
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: `dokumen panjang ${accountId} ${'isi '.repeat(200)}`,
                cache_control: { type: 'ephemeral', ttl: '1h' },
              },
            ],
          },
        ],
      })
      .withResponse();
    expect(data.usage.cache_creation).toMatchObject({
      ephemeral_1h_input_tokens: 203,
      ephemeral_5m_input_tokens: 0,
    });
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - billOf(data.usage));
    const job = await h.t.container.core.jobs.get(response.headers.get('x-aiport-job-id')!);
    expect(job?.params).toMatchObject({ cache_write_tokens: 0, cache_write_1h_tokens: 203 });
    expect(job?.costMrp).toBe(billOf(data.usage));
  });
});
