import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../test/fakes/llm-test-kit.js';
import { type FakeOpenAI, startFakeOpenAI } from '../../../test/fakes/openai.js';
import type { ChatRequest } from '../contract.js';
import { createChatProviders } from '../index.js';
import { OPENAI_VENDOR } from '../openai/provider.js';
import { collectStream } from '../shared/collect.js';
import { isProviderError, ProviderError } from '../shared/errors.js';
import { createHttpClient } from '../shared/http.js';
import { createOpenAICompatibleChatProvider } from './chat-provider.js';
import { createSelfHostedChatProvider } from './provider.js';

let fake: FakeOpenAI;
const http = createHttpClient({ headersTimeoutMs: 500, bodyTimeoutMs: 500 });

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: null });
});
afterAll(async () => {
  await fake.close();
  await http.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

const hello: ChatRequest = {
  model: 'qwen2.5-7b-instruct',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'halo' }] }],
  maxOutputTokens: 20,
};

describe('self-hosted OpenAI-compatible provider', () => {
  it('works without an API key and sends max_tokens', async () => {
    const provider = createSelfHostedChatProvider({ baseUrl: `${fake.url}/v1/`, http });
    const result = await provider.generate(hello);
    expect(result.text).toBe('Echo: halo');
    expect(fake.requests[0]!.headers.authorization).toBeUndefined();
    expect(fake.requests[0]!.body).toMatchObject({ max_tokens: 20 });
  });

  it('sends the key when one is configured', async () => {
    const provider = createSelfHostedChatProvider({ baseUrl: `${fake.url}/v1`, apiKey: 'local', http });
    await provider.generate(hello);
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer local');
  });

  it('accepts a stream that ends after its finish reason without [DONE]', async () => {
    const provider = createSelfHostedChatProvider({ baseUrl: `${fake.url}/v1`, http });
    fake.enqueue({ omitDone: true });
    const result = await collectStream(provider.stream(hello));
    expect(result.text).toBe('Echo: halo');
    expect(result.finishReason).toBe('stop');
  });

  it('still fails a stream that ends before any finish reason', async () => {
    const provider = createSelfHostedChatProvider({ baseUrl: `${fake.url}/v1`, http });
    fake.enqueue({ cutAfter: 2 });
    const error = await rejectionOf(collectStream(provider.stream(hello)));
    expect(isProviderError(error) && error.retryable).toBe(true);
  });

  it('holds OpenAI itself to [DONE]', async () => {
    const openai = createOpenAICompatibleChatProvider(OPENAI_VENDOR, {
      baseUrl: `${fake.url}/v1`,
      apiKey: 'k',
      http,
    });
    fake.enqueue({ omitDone: true });
    const error = await rejectionOf(collectStream(openai.stream(hello)));
    expect(isProviderError(error) && error.retryable).toBe(true);
  });
});

describe('createChatProviders', () => {
  it('builds only the configured providers', () => {
    const providers = createChatProviders(
      {
        openai: { baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k' },
        gemini: { baseUrl: 'http://127.0.0.1:1', apiKey: 'k' },
        openaiCompatible: { baseUrl: 'http://127.0.0.1:1/v1' },
      },
      http,
    );
    expect(Object.keys(providers).sort()).toEqual(['gemini', 'openai', 'openai-compatible']);
    expect(providers.gemini?.id).toBe('gemini');
    expect(providers['openai-compatible']?.id).toBe('openai-compatible');
  });

  it('refuses a hosted vendor without a key', () => {
    expect(() =>
      createChatProviders({ anthropic: { baseUrl: 'http://127.0.0.1:1', apiKey: '' } }, http),
    ).toThrow(ProviderError);
  });
});
