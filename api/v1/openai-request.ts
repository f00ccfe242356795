import { CoreError } from '../../core/errors.js';
import type { ChatInputRequest } from '../../core/metering/index.js';
import type {
  ChatMessage,
  ImageDetail,
  ImagePart,
  Part,
  ResponseFormat,
  ToolChoice,
} from '../../core/providers/index.js';
import type { ChatCompletionBody } from '../schemas/v1-chat.js';
import { imageFromUrl } from './images.js';

/** OpenAI chat-completions body -> the provider contract's request (system and developer text joined). */
export function fromOpenAiRequest(body: ChatCompletionBody): ChatInputRequest {
  if (body.top_logprobs != null && body.logprobs !== true) {
    // OpenAI's own rule: alternatives come only with the chosen tokens' log probabilities.
    throw new CoreError('invalid_request', 'top_logprobs requires logprobs to be true', {
      details: { param: 'top_logprobs' },
    });
  }
  const system: string[] = [];
  let developer = false;
  const messages: ChatMessage[] = [];
  body.messages.forEach((message, i) => {
    const param = `messages.${i}.content`;
    switch (message.role) {
      case 'system':
      case 'developer':
        developer ||= message.role === 'developer';
        system.push(textOf(message.content));
        break;
      case 'user':
        messages.push({ role: 'user', content: userParts(message.content, param) });
        break;
      case 'assistant': {
        const text = message.content == null ? '' : textOf(message.content);
        const toolCalls = (message.tool_calls ?? []).map((call) => {
          const signature = call.extra_content?.google?.thought_signature;
          return {
            id: call.id,
            name: call.function.name,
            arguments: call.function.arguments,
            ...(signature ? { signature } : {}),
          };
        });
        if (text === '' && toolCalls.length === 0) {
          throw new CoreError('invalid_request', 'An assistant message needs content or tool_calls', {
            details: { param },
          });
        }
        messages.push({
          role: 'assistant',
          content: text === '' ? [] : [{ type: 'text', text }],
          ...(toolCalls.length > 0 ? { toolCalls } : {}),
          ...(message.reasoning_content ? { reasoning: message.reasoning_content } : {}),
        });
        break;
      }
      case 'tool':
        messages.push({
          role: 'tool',
          toolCallId: message.tool_call_id,
          content: [{ type: 'text', text: textOf(message.content) }],
        });
        break;
    }
  });
  if (messages.length === 0) {
    throw new CoreError('invalid_request', 'messages must contain at least one user message', {
      details: { param: 'messages' },
    });
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const stop = body.stop == null ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop;
  const user = body.safety_identifier ?? body.user ?? undefined;
  return {
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    ...(developer ? { systemRole: 'developer' as const } : {}),
    messages,
    ...optional('seed', body.seed),
    ...optional('frequencyPenalty', body.frequency_penalty),
    ...optional('presencePenalty', body.presence_penalty),
    ...optional('logitBias', body.logit_bias),
    ...optional('reasoningEffort', body.reasoning_effort),
    ...optional('parallelToolCalls', body.tools?.length ? body.parallel_tool_calls : undefined),
    ...optional('user', user),
    ...optional('promptCacheKey', body.prompt_cache_key),
    ...optional('serviceTier', body.service_tier),
    ...optional('metadata', body.metadata),
    ...optional('verbosity', body.verbosity),
    ...(body.n != null && body.n > 1 ? { choices: body.n } : {}),
    ...(body.logprobs === true ? { logprobs: true } : {}),
    ...optional('topLogprobs', body.top_logprobs),
    ...(maxTokens === undefined ? {} : { maxOutputTokens: maxTokens }),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(body.top_p == null ? {} : { topP: body.top_p }),
    ...(stop && stop.length > 0 ? { stop } : {}),
    ...(body.tools && body.tools.length > 0
      ? {
          tools: body.tools.map((t) => ({
            name: t.function.name,
            ...(t.function.description === undefined ? {} : { description: t.function.description }),
            parameters: t.function.parameters ?? { type: 'object', properties: {} },
            ...(t.function.strict == null ? {} : { strict: t.function.strict }),
          })),
        }
      : {}),
    ...(body.tool_choice && body.tools?.length ? { toolChoice: toolChoiceOf(body.tool_choice) } : {}),
    ...(body.response_format ? { responseFormat: responseFormatOf(body.response_format) } : {}),
  };
}

function textOf(content: string | Array<{ text: string }>): string {
  return typeof content === 'string' ? content : content.map((p) => p.text).join('');
}

function userParts(
  content:
    | string
    | Array<
        | { type: 'text'; text: string }
        | { type: 'image_url'; image_url: { url: string; detail?: ImageDetail } }
      >,
  param: string,
): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, j) =>
    part.type === 'text'
      ? { type: 'text', text: part.text }
      : withDetail(imageFromUrl(part.image_url.url, `${param}.${j}.image_url.url`), part.image_url.detail),
  );
}

function withDetail(image: ImagePart, detail: ImageDetail | undefined): ImagePart {
  return detail ? { ...image, detail } : image;
}

/** `{ [key]: value }` when the client set it (null means unset, as in OpenAI's SDKs). */
function optional<K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } {
  return (value == null ? {} : { [key]: value }) as { [P in K]?: V };
}

function toolChoiceOf(choice: NonNullable<ChatCompletionBody['tool_choice']>): ToolChoice {
  return typeof choice === 'string' ? choice : { name: choice.function.name };
}

function responseFormatOf(format: NonNullable<ChatCompletionBody['response_format']>): ResponseFormat {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    name: format.json_schema.name,
    ...(format.json_schema.schema ? { schema: format.json_schema.schema } : {}),
    ...(format.json_schema.description === undefined ? {} : { description: format.json_schema.description }),
    ...(format.json_schema.strict == null ? {} : { strict: format.json_schema.strict }),
  };
}
