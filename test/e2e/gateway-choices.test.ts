import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenCostMrp } from '../../core/ledger/index.js';
import { manualClock } from '../../core/ports/clock.js';
import { REFUSAL_TEXT } from '../fakes/llm-openai-choices.js';
import { type GatewayHarness, startGatewayHarness } from './gateway-harness.js';

/**
 * `n`, `logprobs` / `top_logprobs`, `system_fingerprint` and `service_tier` through the real
 * clients: every answer returned (JSON and stream), the usage of all of them billed exactly, and a
 * 400 naming the parameter where no route of the model can honour it.
 * gpt-4o-mini: Rp 2.500 / 10.000 per 1M tokens, max output 16,384; the fakes count words as tokens.
 */
const GPT = { inputPerMTokMrp: 2_500_000n, outputPerMTokMrp: 10_000_000n, cachedInputPerMTokMrp: 1_250_000n };

let h: GatewayHarness;
const clock = manualClock();
beforeAll(async () => {
  h = await startGatewayHarness({ clock });
});
afterAll(() => h.close());
afterEach(() => clock.advance(30 * 60_000));

const ask = (text: string) => [{ role: 'user' as const, content: text }];
/** "Echo: <text>" and its variants, as the fake answers choice i. */
const answer = (text: string, i: number) => (i === 0 ? `Echo: ${text}` : `Echo: ${text} (${i + 1})`);
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('n: several answers, one bill for all of them', () => {
  it('returns every choice, passes n upstream and bills the total usage (non-stream)', async () => {
    const { accountId, key } = await h.account(1000);
    const { data, response } = await h
      .openaiClient(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: ask('kota hujan'), n: 3 })
      .withResponse();
    expect(h.openai.requests.at(-1)?.body).toMatchObject({ n: 3 });
    expect(data.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, answer('kota hujan', 0), 'stop'],
      [1, answer('kota hujan', 1), 'stop'],
      [2, answer('kota hujan', 2), 'stop'],
    ]);
    const output = [0, 1, 2].reduce((sum, i) => sum + words(answer('kota hujan', i)), 0);
    expect(data.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: output });
    const cost = tokenCostMrp({ inputTokens: 2, outputTokens: output }, GPT);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);
    const job = await h.t.container.core.db.sql<{ cost_mrp: string; params: { n?: number } }[]>`
      SELECT cost_mrp, params FROM jobs WHERE id = ${response.headers.get('x-aiport-job-id')!}`;
    expect(BigInt(job[0]!.cost_mrp)).toBe(cost);
    expect(job[0]!.params.n).toBe(3);
  });

  it('streams every choice under its index and bills the total usage; the SDK assembles them', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: ask('angin barat'),
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const texts = ['', ''];
    const finishes: Array<string | null> = [null, null];
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.finish_reason) finishes[choice.index] = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(texts).toEqual([answer('angin barat', 0), answer('angin barat', 1)]);
    expect(finishes).toEqual(['stop', 'stop']);
    const output = words(answer('angin barat', 0)) + words(answer('angin barat', 1));
    expect(usage).toMatchObject({ prompt_tokens: 2, completion_tokens: output });
    const cost = tokenCostMrp({ inputTokens: 2, outputTokens: output }, GPT);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);

    const final = await client.chat.completions
      .stream({ model: 'gpt-4o-mini', messages: ask('angin barat'), n: 2 })
      .finalChatCompletion();
    expect(final.choices.map((c) => c.message.content)).toEqual(texts);
  });

  it('bills a safety refusal of one answer with the others (delivered), and none when every answer is refused', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    h.openai.enqueue({ refusedChoices: [0] });
    const partly = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask('x'), n: 2 });
    expect(partly.choices.map((c) => [c.finish_reason, c.message.content])).toEqual([
      ['content_filter', ''],
      ['stop', answer('x', 1)],
    ]);
    const output = words(REFUSAL_TEXT) + words(answer('x', 1));
    const cost = tokenCostMrp({ inputTokens: 1, outputTokens: output }, GPT);
    expect(partly.usage?.completion_tokens).toBe(output);
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);

    h.openai.enqueue({ refusedChoices: [0, 1] });
    const refused = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: ask('x'), n: 2, stream: true })
      .then(async (stream) => {
        for await (const _ of stream) {
          // read to the end
        }
      })
      .catch((e: unknown) => e as { code: string });
    expect(refused).toMatchObject({ code: 'content_refused' });
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n - cost);
  });

  it('holds n times the output budget: a balance that covers one answer is refused for many', async () => {
    const { accountId, key } = await h.account(100);
    const client = h.openaiClient(key);
    const request = { model: 'gpt-4o-mini', messages: ask('x'), max_tokens: 1000 };
    // One answer holds about Rp 10 of output; twenty hold Rp 200, above the balance.
    const many = await client.chat.completions
      .create({ ...request, n: 20 })
      .catch((e: unknown) => e as { status: number });
    expect(many).toMatchObject({ status: 402 });
    expect(await h.balanceMrp(accountId)).toBe(100_000n);
    const one = await client.chat.completions.create(request);
    expect(one.choices).toHaveLength(1);
  });

  it('fails over only to a route that honours n (the self-hosted one), never to one that would drop it', async () => {
    const { key } = await h.account(1000);
    h.openai.enqueue({ status: 503 });
    const completion = await h
      .openaiClient(key)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: ask('cuaca'), n: 2 });
    expect(completion.choices).toHaveLength(2);
    expect(h.local.requests.at(-1)?.body).toMatchObject({ n: 2 });
  });
});

describe('logprobs and the upstream facts clients read', () => {
  it('returns the upstream logprobs object per choice, with system_fingerprint and service_tier (non-stream)', async () => {
    const { key } = await h.account(1000);
    const completion = await h.openaiClient(key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: ask('halo dunia'),
      logprobs: true,
      top_logprobs: 2,
      n: 2,
      service_tier: 'flex',
    });
    expect(h.openai.requests.at(-1)?.body).toMatchObject({ logprobs: true, top_logprobs: 2, n: 2 });
    expect(completion.system_fingerprint).toBe('fp_fake');
    expect(completion.service_tier).toBe('flex');
    const first = completion.choices[0]!.logprobs!;
    expect(first.refusal).toBeNull();
    expect(first.content?.map((t) => t.token).join('')).toBe('Echo: halo dunia');
    expect(first.content?.[0]).toEqual({
      token: 'Echo: ',
      logprob: -0.01,
      bytes: [...Buffer.from('Echo: ')],
      top_logprobs: [
        { token: 'Echo: ', logprob: -0.01, bytes: [...Buffer.from('Echo: ')] },
        { token: 'Echo:~1', logprob: -1.01, bytes: [...Buffer.from('Echo:~1')] },
      ],
    });
    expect(completion.choices[1]!.logprobs?.content?.map((t) => t.token).join('')).toBe(
      answer('halo dunia', 1),
    );
  });

  it('streams logprobs on each content chunk and the upstream facts on every chunk', async () => {
    const { key } = await h.account(1000);
    const stream = await h.openaiClient(key).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: ask('halo dunia'),
      logprobs: true,
      top_logprobs: 1,
      stream: true,
    });
    const tokens: string[] = [];
    const fingerprints = new Set<string | undefined>();
    const tiers = new Set<string | null | undefined>();
    for await (const chunk of stream) {
      fingerprints.add(chunk.system_fingerprint);
      tiers.add(chunk.service_tier);
      for (const choice of chunk.choices) {
        for (const token of choice.logprobs?.content ?? []) {
          expect(token.top_logprobs).toHaveLength(1);
          tokens.push(token.token);
        }
      }
    }
    expect(tokens.join('')).toBe('Echo: halo dunia');
    expect([...fingerprints]).toEqual(['fp_fake']);
    expect([...tiers]).toEqual(['default']);
  });

  it('refuses n, logprobs and top_logprobs by name where no route can honour them, billing nothing', async () => {
    const { accountId, key } = await h.account(1000);
    const client = h.openaiClient(key);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: 'claude-haiku-4.5', n: 2 }, 'n'],
      [{ model: 'gemini-3.5-flash', n: 2 }, 'n'],
      [{ model: 'claude-haiku-4.5', logprobs: true }, 'logprobs'],
      [{ model: 'deepseek-v4-pro', logprobs: true, top_logprobs: 3 }, 'logprobs'],
      [{ model: 'gpt-4o-mini', top_logprobs: 3 }, 'top_logprobs'],
      [{ model: 'gpt-4o-mini', n: 129 }, 'n'],
    ];
    for (const [extra, param] of cases) {
      const error = await client.chat.completions
        .create({ messages: ask('halo'), ...extra } as never)
        .catch((e: unknown) => e as { status: number; param: string; message: string });
      expect(error, JSON.stringify(extra)).toMatchObject({ status: 400, param });
      expect((error as { message: string }).message).toContain(param);
    }
    expect(await h.balanceMrp(accountId)).toBe(1_000_000n);
  });

  it('passes Anthropic usage.service_tier on /v1/messages, non-stream and in message_start', async () => {
    const { key } = await h.account(1000);
    const client = h.anthropicClient(key);
    const request = { model: 'claude-haiku-4.5', max_tokens: 50, messages: ask('halo') };
    const message = await client.messages.create(request);
    expect(message.usage.service_tier).toBe('standard');
    const stream = client.messages.stream(request);
    let startTier: string | null | undefined;
    for await (const event of stream) {
      if (event.type === 'message_start') startTier = event.message.usage.service_tier;
    }
    expect(startTier).toBe('standard');
  });

  it('returns output_text logprobs on the Responses API when included, non-stream and stream', async () => {
    const { key } = await h.account(1000);
    const client = h.openaiClient(key);
    const request = {
      model: 'gpt-4o-mini',
      input: 'halo dunia',
      include: ['message.output_text.logprobs' as const],
      top_logprobs: 2,
    };
    const response = await client.responses.create(request);
    expect(h.openai.requests.at(-1)?.body).toMatchObject({ logprobs: true, top_logprobs: 2 });
    const message = response.output[0];
    const text = message?.type === 'message' ? message.content[0] : undefined;
    const logprobs = text?.type === 'output_text' ? (text.logprobs ?? []) : [];
    expect(logprobs.map((t) => t.token).join('')).toBe('Echo: halo dunia');
    expect(logprobs[0]?.top_logprobs).toHaveLength(2);

    const stream = await client.responses.create({ ...request, stream: true });
    const streamed: string[] = [];
    let done: string[] = [];
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') streamed.push(...event.logprobs.map((t) => t.token));
      if (event.type === 'response.output_text.done') done = event.logprobs.map((t) => t.token);
    }
    expect(streamed.join('')).toBe('Echo: halo dunia');
    expect(done).toEqual(streamed);
  });

  it('shows the tier that served a Responses API request', async () => {
    const { key } = await h.account(1000);
    const response = await h
      .openaiClient(key)
      .responses.create({ model: 'gpt-4o-mini', input: 'halo', service_tier: 'priority' });
    expect(response.service_tier).toBe('priority');
  });
});
