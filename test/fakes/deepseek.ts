import {
  type FakeOpenAIWireServer,
  type OpenAIWireFault,
  type StartOptions,
  startOpenAIWireFake,
} from './llm-openai-wire.js';

/**
 * A fake DeepSeek server: the OpenAI chat-completions wire format at `POST /chat/completions` (and
 * `/v1/chat/completions`), with DeepSeek's differences: usage adds `prompt_cache_hit_tokens` and
 * `prompt_cache_miss_tokens` (hit + miss = prompt; `cached_tokens` equals hit), stream usage rides on
 * the chunk that carries `finish_reason` rather than a separate one, streams open with
 * `: keep-alive` comments and JSON bodies with blank lines (as while queued). Auth is
 * `Authorization: Bearer <apiKey>`; faults as for the OpenAI fake (402 gives DeepSeek's
 * "Insufficient Balance"). Thinking mode is on unless the request says `thinking: {type: "disabled"}`:
 * answers then carry `reasoning_content` (counted in `reasoning_tokens`), and, as DeepSeek's thinking
 * mode guide says, a tool-call turn sent back without its `reasoning_content` gets a 400.
 */
export type FakeDeepSeek = FakeOpenAIWireServer;
export type DeepSeekFault = OpenAIWireFault;
export const FAKE_DEEPSEEK_KEY = 'sk-fake-deepseek';

/** DeepSeek's list per its pricing page: the current names, and the legacy one it still answers. */
export const DEEPSEEK_MODELS = [
  { id: 'deepseek-flash' },
  { id: 'deepseek-v4-pro' },
  { id: 'deepseek-v4-flash' },
];

export function startFakeDeepSeek(options: StartOptions = {}): Promise<FakeDeepSeek> {
  return startOpenAIWireFake(
    {
      paths: ['/chat/completions', '/v1/chat/completions'],
      usagePlacement: 'finish-chunk',
      keepAlive: true,
      thinking: true,
      models: options.models ?? DEEPSEEK_MODELS,
      extraUsage: (prompt, cached) => ({
        prompt_cache_hit_tokens: cached,
        prompt_cache_miss_tokens: prompt - cached,
      }),
    },
    options.apiKey === undefined ? FAKE_DEEPSEEK_KEY : options.apiKey,
    options.port,
  );
}
