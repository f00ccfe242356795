import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANTHROPIC_KEY, type FakeAnthropic, startFakeAnthropic } from './anthropic.js';

/** The real `@anthropic-ai/sdk` client against the fake proves the fake speaks the real wire format. */
let fake: FakeAnthropic;
let client: Anthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  client = new Anthropic({ apiKey: FAKE_ANTHROPIC_KEY, baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());

const messages = [{ role: 'user' as const, content: 'halo apa kabar' }];

describe('Anthropic fake, driven by the Anthropic SDK', () => {
  it('answers a message the SDK parses', async () => {
    fake.enqueue({ reply: { inputTokens: 50, cacheReadTokens: 30, cacheCreationTokens: 5 } });
    const message = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages });
    expect(message.type).toBe('message');
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: halo apa kabar' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({
      input_tokens: 15,
      cache_read_input_tokens: 30,
      cache_creation_input_tokens: 5,
      output_tokens: 4,
    });
    expect(fake.requests[0]?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('streams events the SDK accumulates into the final message', async () => {
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(text).toBe('Echo: halo apa kabar');
    expect(final.content).toHaveLength(1);
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Echo: halo apa kabar' });
    expect(final.usage.output_tokens).toBe(4);
    expect(final.usage.input_tokens).toBe(3);
  });

  it('streams a tool call the SDK parses', async () => {
    const final = await client.messages
      .stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages,
        tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 'lookup' },
      })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'lookup',
      input: { echo: 'halo apa kabar' },
    });
  });

  it('fails with the SDK error classes for a wrong key, a 529 and a mid-stream error event', async () => {
    const wrong = new Anthropic({ apiKey: 'nope', baseURL: fake.url, maxRetries: 0 });
    await expect(wrong.messages.create({ model: 'm', max_tokens: 10, messages })).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    fake.enqueue({ status: 529 });
    const overloaded = await client.messages
      .create({ model: 'm', max_tokens: 10, messages })
      .catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
    expect((overloaded as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    fake.enqueue({ midStreamError: true });
    await expect(
      client.messages.stream({ model: 'm', max_tokens: 10, messages }).finalMessage(),
    ).rejects.toBeInstanceOf(Anthropic.APIError);
  });
});
