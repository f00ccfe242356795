import type { ChatRequest, ProviderId } from './contract.js';

/**
 * Which optional request parameters each provider honours. The gateway routes a request only to
 * providers that honour every parameter it sets, and refuses it (400 naming the parameter) when no
 * route of the model can, so no parameter is ever silently dropped. The README's parameter table
 * is this map in prose; mappings (e.g. `user` -> Anthropic `metadata.user_id`) live in each
 * provider's request converter.
 *
 * Names are the OpenAI chat-completions names clients send (Anthropic-only ones in its spelling).
 */
export const OPTIONAL_PARAMETERS = [
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'reasoning_effort',
  'parallel_tool_calls',
  'user',
  'prompt_cache_key',
  'service_tier',
  'metadata',
  'verbosity',
  'top_k',
  'strict',
  'json_schema',
  'json_object',
  'image_detail',
  'cache_control',
  'thinking',
  'n',
  'logprobs',
  'top_logprobs',
] as const;
export type OptionalParameter = (typeof OPTIONAL_PARAMETERS)[number];

const OPENAI: readonly OptionalParameter[] = [
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'reasoning_effort',
  'parallel_tool_calls',
  'user',
  'prompt_cache_key',
  'service_tier',
  'metadata',
  'verbosity',
  'strict',
  'json_schema',
  'json_object',
  'image_detail',
  'n',
  'logprobs',
  'top_logprobs',
];

/**
 * vLLM, Ollama, llama.cpp: the sampling parameters of the chat-completions spec (several answers and
 * token log probabilities included); no OpenAI platform features.
 */
const SELF_HOSTED: readonly OptionalParameter[] = [
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'parallel_tool_calls',
  'user',
  'strict',
  'json_schema',
  'json_object',
  'n',
  'logprobs',
  'top_logprobs',
];

/**
 * DeepSeek's chat API: penalties, user, `json_object` (it cannot hold an answer to a JSON schema) and
 * `reasoning_effort` (its thinking mode's effort; `none` turns thinking off).
 */
const DEEPSEEK: readonly OptionalParameter[] = [
  'frequency_penalty',
  'presence_penalty',
  'reasoning_effort',
  'user',
  'json_object',
];

/**
 * Anthropic: `user` -> `metadata.user_id`; `parallel_tool_calls: false` -> `disable_parallel_tool_use`;
 * `service_tier` `auto` | `standard_only`; tool `strict`; `json_schema` -> `output_config.format`;
 * breakpoints; `top_k`.
 */
const ANTHROPIC: readonly OptionalParameter[] = [
  'user',
  'parallel_tool_calls',
  'service_tier',
  'top_k',
  'strict',
  'json_schema',
  'cache_control',
  'thinking',
];

/** Gemini: what its converter sends today (the rest is refused until it maps them). */
const GEMINI: readonly OptionalParameter[] = ['json_schema', 'json_object'];

const SUPPORT: Readonly<Record<ProviderId, ReadonlySet<OptionalParameter>>> = {
  openai: new Set(OPENAI),
  'openai-compatible': new Set(SELF_HOSTED),
  deepseek: new Set(DEEPSEEK),
  anthropic: new Set(ANTHROPIC),
  gemini: new Set(GEMINI),
};

/** The optional parameters a request sets, in the order of OPTIONAL_PARAMETERS. */
export function requestedParameters(request: Omit<ChatRequest, 'model'>): OptionalParameter[] {
  const set = new Set<OptionalParameter>();
  const has = (value: unknown) => value !== undefined;
  if (has(request.seed)) set.add('seed');
  if (has(request.frequencyPenalty)) set.add('frequency_penalty');
  if (has(request.presencePenalty)) set.add('presence_penalty');
  if (has(request.logitBias)) set.add('logit_bias');
  if (has(request.reasoningEffort)) set.add('reasoning_effort');
  if (has(request.parallelToolCalls) && (request.tools?.length ?? 0) > 0) set.add('parallel_tool_calls');
  if (has(request.user)) set.add('user');
  if (has(request.promptCacheKey)) set.add('prompt_cache_key');
  if (has(request.serviceTier)) set.add('service_tier');
  if (has(request.metadata)) set.add('metadata');
  if (has(request.verbosity)) set.add('verbosity');
  if (has(request.topK)) set.add('top_k');
  if (request.thinking !== undefined && request.thinking.type !== 'disabled') set.add('thinking');
  if ((request.choices ?? 1) > 1) set.add('n');
  if (request.logprobs === true) set.add('logprobs');
  if (has(request.topLogprobs)) set.add('top_logprobs');
  if (request.responseFormat?.strict || request.tools?.some((t) => t.strict)) set.add('strict');
  if (request.responseFormat?.type === 'json_schema' && request.responseFormat.schema) set.add('json_schema');
  if (request.responseFormat?.type === 'json_object') set.add('json_object');
  const parts = request.messages.flatMap((m) => m.content);
  if (parts.some((p) => p.type === 'image' && p.detail !== undefined && p.detail !== 'auto')) {
    set.add('image_detail');
  }
  if (
    parts.some((p) => p.cacheControl) ||
    request.systemParts?.some((p) => p.cacheControl) ||
    request.tools?.some((t) => t.cacheControl)
  ) {
    set.add('cache_control');
  }
  return OPTIONAL_PARAMETERS.filter((name) => set.has(name));
}

/** The parameters of `requested` that `provider` cannot honour. */
export function unsupportedParameters(
  provider: ProviderId,
  requested: readonly OptionalParameter[],
): OptionalParameter[] {
  const supported = SUPPORT[provider];
  return requested.filter((name) => !supported.has(name));
}

/** For the README and the models list: what each provider honours. */
export function supportedParameters(provider: ProviderId): OptionalParameter[] {
  return OPTIONAL_PARAMETERS.filter((name) => SUPPORT[provider].has(name));
}
