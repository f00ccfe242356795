import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANTHROPIC_KEY, startFakeAnthropic } from '../../test/fakes/anthropic.js';
import { FAKE_DEEPSEEK_KEY, startFakeDeepSeek } from '../../test/fakes/deepseek.js';
import { FAKE_GEMINI_KEY, startFakeGemini } from '../../test/fakes/gemini.js';
import { rejectionOf } from '../../test/fakes/llm-test-kit.js';
import { startFakeOpenAI } from '../../test/fakes/openai.js';
import {
  type ChatProvider,
  type ChatRequest,
  collectStream,
  createChatProviders,
  createHttpClient,
  isProviderError,
  type ProviderId,
} from './index.js';

/**
 * Every chat provider, through the public surface, against its fake: the same request gives the same
 * normalized answer from generate and stream, and the same faults give the same contract outcome.
 */

interface Fault {
  safety?: boolean;
  cutAfter?: number;
  usage?: 'missing' | 'zero';
}
interface Running {
  url: string;
  enqueue(fault: Fault): void;
  close(): Promise<void>;
}

const http = createHttpClient({ headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000 });
const fakes: Partial<Record<ProviderId, Running>> = {};
let providers: Partial<Record<ProviderId, ChatProvider>> = {};

beforeAll(async () => {
  const [openai, anthropic, gemini, deepseek, local] = await Promise.all([
    startFakeOpenAI(),
    startFakeAnthropic(),
    startFakeGemini(),
    startFakeDeepSeek(),
    startFakeOpenAI({ apiKey: null }),
  ]);
  Object.assign(fakes, { openai, anthropic, gemini, deepseek, 'openai-compatible': local });
  providers = createChatProviders(
    {
      openai: { baseUrl: `${openai.url}/v1`, apiKey: 'sk-fake-openai' },
      anthropic: { baseUrl: anthropic.url, apiKey: FAKE_ANTHROPIC_KEY },
      gemini: { baseUrl: gemini.url, apiKey: FAKE_GEMINI_KEY },
      deepseek: { baseUrl: deepseek.url, apiKey: FAKE_DEEPSEEK_KEY },
      openaiCompatible: { baseUrl: `${local.url}/v1` },
    },
    http,
  );
});
afterAll(async () => {
  await Promise.all(Object.values(fakes).map((fake) => fake.close()));
  await http.close();
});

const request: ChatRequest = {
  model: 'any-model',
  system: 'jawab singkat',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'berapa harga kopi 🙂' }] }],
};
const ids: ProviderId[] = ['openai', 'anthropic', 'gemini', 'deepseek', 'openai-compatible'];

describe.each(ids)('%s conforms to the chat contract', (id) => {
  const provider = () => providers[id]!;
  const fake = () => fakes[id]!;

  it('answers the same through generate and stream', async () => {
    const generated = await provider().generate(request);
    const streamed = await collectStream(provider().stream(request));
    expect(generated.text).toBe('Echo: berapa harga kopi 🙂');
    expect(streamed.text).toBe(generated.text);
    expect(streamed.finishReason).toBe('stop');
    expect(generated.finishReason).toBe('stop');
    // Reasoning (DeepSeek thinks by default) is output too; the answer itself is 5 tokens everywhere.
    expect(generated.usage).toMatchObject({ inputTokens: 6, cachedInputTokens: 0 });
    expect(generated.usage!.outputTokens - generated.usage!.reasoningTokens).toBe(5);
    expect(streamed.usage).toEqual(generated.usage);
    expect(streamed.reasoning).toBe(generated.reasoning);
  });

  it('reports a safety refusal as content_filter', async () => {
    fake().enqueue({ safety: true });
    expect((await provider().generate(request)).finishReason).toBe('content_filter');
    fake().enqueue({ safety: true });
    expect((await collectStream(provider().stream(request))).finishReason).toBe('content_filter');
  });

  it('keeps absent usage absent', async () => {
    fake().enqueue({ usage: 'missing' });
    expect((await provider().generate(request)).usage).toBeUndefined();
  });

  it('never ends a cut stream cleanly', async () => {
    fake().enqueue({ cutAfter: 2 });
    const error = await rejectionOf(collectStream(provider().stream(request)));
    expect(isProviderError(error) && error.retryable).toBe(true);
  });
});
