import {
  type FakeOpenAIWireServer,
  type OpenAIWireFault,
  type StartOptions,
  startOpenAIWireFake,
} from './llm-openai-wire.js';

/**
 * A fake OpenAI chat-completions server. It speaks `POST /v1/embeddings` (llm-openai-embeddings),
 * `POST /v1/audio/transcriptions` (llm-openai-transcriptions),
 * `POST /v1/chat/completions` (JSON, or SSE
 * `data:` chunks ending with `data: [DONE]`, a first `{role:"assistant",content:""}` delta, an empty
 * finish delta, and with `stream_options.include_usage` a last chunk with `choices: []` and the usage,
 * every earlier chunk carrying `usage: null`) and `GET /v1/models`. It checks
 * `Authorization: Bearer <apiKey>` (401 `invalid_api_key` otherwise), errors in the shape
 * `{"error":{"message","type","param","code"}}`, replies `Echo: <last user text>` (see llm-echo), and
 * takes scripted faults: error statuses (with retry-after), latency, stall, cut, usage missing/zero or
 * on the finish chunk, a `content_filter` safety stop, a mid-stream `{"error":...}` chunk, and custom
 * reply text and token counts (cached and reasoning included). It answers `n` choices, `logprobs` /
 * `top_logprobs`, and states `system_fingerprint` and `service_tier` on the completion and every
 * chunk (llm-openai-choices).
 */
export type FakeOpenAI = FakeOpenAIWireServer;
export type OpenAIFault = OpenAIWireFault;
export const FAKE_OPENAI_KEY = 'sk-fake-openai';

/**
 * OpenAI's list as of this writing, `shutdown_date` as its deprecations page announces: GPT-4o mini
 * and GPT-4.1 snapshots shut down 2027-01-14; gpt-image-1 and dall-e-3 are gone (not listed).
 */
export const OPENAI_MODELS = [
  { id: 'gpt-4o-mini', shutdown_date: '2027-01-14' },
  { id: 'gpt-4.1', shutdown_date: '2027-01-14' },
  { id: 'gpt-image-2', shutdown_date: null },
  { id: 'text-embedding-3-small', shutdown_date: null },
  { id: 'text-embedding-3-large', shutdown_date: null },
  { id: 'gpt-4o-mini-transcribe', shutdown_date: null },
  { id: 'whisper-1', shutdown_date: null },
];

export function startFakeOpenAI(options: StartOptions = {}): Promise<FakeOpenAI> {
  return startOpenAIWireFake(
    {
      paths: ['/v1/chat/completions'],
      embeddingsPath: '/v1/embeddings',
      transcriptionsPath: '/v1/audio/transcriptions',
      usagePlacement: 'separate-chunk',
      keepAlive: false,
      serviceTier: true,
      models: options.models ?? OPENAI_MODELS,
    },
    options.apiKey === undefined ? FAKE_OPENAI_KEY : options.apiKey,
    options.port,
  );
}
