import { CoreError } from '../../core/errors.js';
import type { ChatInputRequest } from '../../core/metering/index.js';
import type { ChatMessage, Part, ResponseFormat, ToolCall } from '../../core/providers/index.js';
import type { ResponsesBody, ResponsesContentPart, ResponsesItem } from '../schemas/v1-responses.js';
import { imageFromUrl } from './images.js';

/**
 * Responses API request -> the provider contract's request. `items` is the whole conversation in
 * item form (a previous response's input and output first, references already resolved): messages
 * become turns, `function_call` items the assistant's tool calls, `function_call_output` items tool
 * results; system and developer messages join `instructions` as the system prompt. Reasoning items
 * (another model's encrypted thoughts) are not forwarded: no upstream here can read them.
 */
export function fromResponsesRequest(body: ResponsesBody, items: ResponsesItem[]): ChatInputRequest {
  refuseUnsupported(body);
  const system: string[] = body.instructions ? [body.instructions] : [];
  let developer = false;
  const messages: ChatMessage[] = [];
  items.forEach((item, i) => {
    const param = `input.${i}`;
    switch (item.type) {
      case 'message': {
        if (item.role === 'system' || item.role === 'developer') {
          developer ||= item.role === 'developer';
          system.push(textOf(item.content, `${param}.content`));
        } else if (item.role === 'user') {
          messages.push({ role: 'user', content: partsOf(item.content, `${param}.content`) });
        } else {
          const text = textOf(item.content, `${param}.content`);
          messages.push({ role: 'assistant', content: text === '' ? [] : [{ type: 'text', text }] });
        }
        break;
      }
      case 'function_call': {
        const call: ToolCall = { id: item.call_id, name: item.name, arguments: item.arguments };
        const last = messages.at(-1);
        if (last?.role === 'assistant') last.toolCalls = [...(last.toolCalls ?? []), call];
        else messages.push({ role: 'assistant', content: [], toolCalls: [call] });
        break;
      }
      case 'function_call_output':
        messages.push({
          role: 'tool',
          toolCallId: item.call_id,
          content: partsOf(item.output, `${param}.output`),
        });
        break;
      case 'item_reference':
        throw invalid(`Item with id "${item.id}" not found`, param);
      case 'reasoning':
        break;
    }
  });
  if (messages.length === 0) throw invalid('input must contain at least one message', 'input');

  const format = body.text?.format;
  const tools = body.tools ?? [];
  const user = body.safety_identifier ?? body.user ?? undefined;
  return {
    ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
    ...(developer ? { systemRole: 'developer' as const } : {}),
    messages,
    ...(body.max_output_tokens == null ? {} : { maxOutputTokens: body.max_output_tokens }),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(body.top_p == null ? {} : { topP: body.top_p }),
    ...(tools.length > 0
      ? {
          tools: tools.map((t) => ({
            name: t.name,
            ...(t.description == null ? {} : { description: t.description }),
            parameters: t.parameters ?? { type: 'object', properties: {} },
            ...(t.strict == null ? {} : { strict: t.strict }),
          })),
        }
      : {}),
    ...(body.tool_choice != null && tools.length > 0
      ? {
          toolChoice:
            typeof body.tool_choice === 'string' ? body.tool_choice : { name: body.tool_choice.name },
        }
      : {}),
    ...(body.parallel_tool_calls == null ? {} : { parallelToolCalls: body.parallel_tool_calls }),
    ...(format && format.type !== 'text' ? { responseFormat: responseFormatOf(format) } : {}),
    ...(body.reasoning?.effort == null ? {} : { reasoningEffort: body.reasoning.effort }),
    ...(body.text?.verbosity == null ? {} : { verbosity: body.text.verbosity }),
    ...(body.metadata == null ? {} : { metadata: body.metadata }),
    ...(user === undefined ? {} : { user }),
    ...(body.prompt_cache_key == null ? {} : { promptCacheKey: body.prompt_cache_key }),
    ...(body.service_tier == null ? {} : { serviceTier: body.service_tier }),
    ...(body.include?.includes(LOGPROBS)
      ? { logprobs: true, ...(body.top_logprobs == null ? {} : { topLogprobs: body.top_logprobs }) }
      : {}),
  };
}

/**
 * What a client may `include` here: encrypted reasoning is asked for routinely and there is none to
 * add; output-text log probabilities are passed to routes that return them (others refuse them).
 */
const LOGPROBS = 'message.output_text.logprobs';
const INCLUDABLE: ReadonlySet<string> = new Set(['reasoning.encrypted_content', LOGPROBS]);

function refuseUnsupported(body: ResponsesBody): void {
  const refuse = (param: string, why: string) => {
    throw invalid(`"${param}" is not supported on this gateway: ${why}`, param);
  };
  if (body.background) refuse('background', 'responses run in the foreground');
  if (body.conversation != null) refuse('conversation', 'chain responses with previous_response_id');
  if (body.prompt != null) refuse('prompt', 'send the prompt text as input');
  if (body.top_logprobs && !body.include?.includes(LOGPROBS)) {
    throw invalid(
      `top_logprobs needs include ["${LOGPROBS}"], which returns the tokens' log probabilities`,
      'top_logprobs',
    );
  }
  if (body.truncation === 'auto') refuse('truncation', 'input is never truncated; shorten it');
  if (body.reasoning?.summary != null) refuse('reasoning.summary', 'reasoning summaries are not returned');
  if (body.max_tool_calls != null) refuse('max_tool_calls', 'only function tools run, on your side');
  const other = (body.include ?? []).find((name) => !INCLUDABLE.has(name));
  if (other !== undefined) refuse('include', `"${other}" cannot be included`);
}

function textOf(content: string | ResponsesContentPart[], param: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, j) => {
      if (part.type === 'input_text' || part.type === 'output_text') return part.text;
      if (part.type === 'refusal') return part.refusal;
      throw invalid(`Only text is accepted here, not ${part.type}`, `${param}.${j}`);
    })
    .join('');
}

function partsOf(content: string | ResponsesContentPart[], param: string): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, j): Part => {
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        return { type: 'text', text: part.text };
      case 'refusal':
        return { type: 'text', text: part.refusal };
      case 'input_image': {
        if (!part.image_url) {
          throw invalid('Images are accepted by image_url (https or data URL), not file_id', `${param}.${j}`);
        }
        const image = imageFromUrl(part.image_url, `${param}.${j}.image_url`);
        const detail = part.detail === 'original' ? 'high' : part.detail;
        return detail ? { ...image, detail } : image;
      }
      default:
        throw invalid('File inputs are not supported; send text or images', `${param}.${j}`);
    }
  });
}

function responseFormatOf(
  format: Exclude<NonNullable<NonNullable<ResponsesBody['text']>['format']>, { type: 'text' }>,
): ResponseFormat {
  if (format.type === 'json_object') return { type: 'json_object' };
  return {
    type: 'json_schema',
    name: format.name,
    schema: format.schema,
    ...(format.description === undefined ? {} : { description: format.description }),
    ...(format.strict == null ? {} : { strict: format.strict }),
  };
}

function invalid(message: string, param: string): CoreError {
  return new CoreError('invalid_request', message, { details: { param } });
}
