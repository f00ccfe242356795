import type { EchoInput, EchoReply } from './llm-echo.js';
import { countWords, splitArguments, splitDeltas } from './llm-echo.js';
import { type ChoiceOptions, choiceLogprobs, choiceReply } from './llm-openai-choices.js';
import type { OpenAIWireDialect, OpenAIWireFault } from './llm-openai-wire.js';
import { commentFrame, DONE_FRAME, dataFrame } from './sse.js';

/** The chat-completions fake's reading of a request and its reply bodies (JSON usage, SSE chunks). */

export const CREATED = 1_700_000_000;

export function echoInput(body: Record<string, unknown>): EchoInput {
  const texts: string[] = [];
  let imageCount = 0;
  let lastUserText = '';
  for (const message of body.messages as Array<Record<string, unknown>>) {
    let text = '';
    if (typeof message.content === 'string') text = message.content;
    else if (Array.isArray(message.content)) {
      for (const part of message.content as Array<Record<string, unknown>>) {
        if (part.type === 'text' && typeof part.text === 'string') text += part.text;
        if (part.type === 'image_url') imageCount += 1;
      }
    }
    texts.push(text);
    if (message.role === 'user') lastUserText = text;
  }
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ function?: { name?: string } }>) : [];
  const toolNames = tools.map((tool) => tool.function?.name ?? '');
  const choice = body.tool_choice as string | { function?: { name?: string } } | undefined;
  let forcedTool: string | undefined;
  if (choice === 'required') forcedTool = toolNames[0];
  else if (typeof choice === 'object') forcedTool = choice.function?.name;
  return { texts, lastUserText, imageCount, toolNames, ...(forcedTool === undefined ? {} : { forcedTool }) };
}

/** The usage of `n` answers (default one): the prompt counted once, every answer's output. */
export function usageFor(
  reply: EchoReply,
  fault: OpenAIWireFault,
  dialect: OpenAIWireDialect,
  reasoningText?: string,
  n = 1,
): Record<string, unknown> | undefined {
  if (fault.usage === 'missing') return undefined;
  const zero = fault.usage === 'zero';
  const prompt = zero ? 0 : (fault.reply?.inputTokens ?? reply.inputTokens);
  const reasoning = zero ? 0 : (fault.reply?.reasoningTokens ?? countWords(reasoningText ?? '') * n);
  let produced = 0;
  for (let index = 0; index < n; index += 1) {
    produced += choiceReply(reply, index, fault.refusedChoices).outputTokens;
  }
  const output = zero ? 0 : (fault.reply?.outputTokens ?? (fault.safety ? 0 : produced)) + reasoning;
  const cached = zero ? 0 : Math.min(prompt, fault.reply?.cachedTokens ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
    ...dialect.extraUsage?.(prompt, cached),
  };
}

export interface StreamInput {
  id: string;
  model: string;
  reply: EchoReply;
  fault: OpenAIWireFault;
  finishReason: string;
  includeUsage: boolean;
  usage: Record<string, unknown> | undefined;
  dialect: OpenAIWireDialect;
  /** DeepSeek's thinking mode: sent as `reasoning_content` deltas before the answer. */
  reasoningText?: string;
  /** `n`, `logprobs` (see llm-openai-choices); absent: one answer, no logprobs. */
  choices?: Pick<ChoiceOptions, 'n' | 'topLogprobs'>;
  /** Top-level facts on every chunk (`system_fingerprint`, `service_tier`). */
  info?: Record<string, string>;
}

/**
 * The chunks of a streamed answer: every choice opens with a `{role, content: ""}` delta, the
 * choices' deltas interleave (as OpenAI sends them), each choice closes with an empty delta and its
 * finish reason, then the usage of them all.
 */
export function streamFrames(input: StreamInput): string[] {
  const { id, model, fault, includeUsage, dialect } = input;
  const n = input.choices?.n ?? 1;
  const top = input.choices?.topLogprobs;
  const chunk = (choices: unknown[], usage?: unknown) => {
    const value: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      ...input.info,
      choices,
    };
    if (includeUsage) value.usage = usage ?? null;
    return dataFrame(value);
  };
  const delta = (
    index: number,
    d: Record<string, unknown>,
    finish: string | null = null,
    logprobs: unknown = null,
  ) => ({ index, delta: d, logprobs, finish_reason: finish });
  const frames: string[] = [];
  if (dialect.keepAlive) frames.push(commentFrame('keep-alive'), commentFrame('keep-alive'));
  const roleChunkAt = frames.length;
  const perChoice: string[][] = [];
  for (let index = 0; index < n; index += 1) {
    const refused = fault.refusedChoices?.includes(index) === true;
    const reply = choiceReply(input.reply, index, fault.refusedChoices);
    const own: string[] = [
      chunk([delta(index, { role: 'assistant', content: '' }, null, choiceLogprobs([], top))]),
    ];
    if (!fault.safety) {
      for (const text of input.reasoningText ? splitDeltas(input.reasoningText) : []) {
        own.push(chunk([delta(index, { content: null, reasoning_content: text })]));
      }
      reply.deltas.forEach((text, k) => {
        const d = refused ? { refusal: text } : { content: text };
        own.push(chunk([delta(index, d, null, refused ? null : choiceLogprobs([text], top, k))]));
      });
      if (reply.toolCall) {
        const { id: callId, name, arguments: args } = reply.toolCall;
        own.push(
          chunk([
            delta(index, {
              tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }],
            }),
          ]),
        );
        for (const piece of splitArguments(args)) {
          own.push(chunk([delta(index, { tool_calls: [{ index: 0, function: { arguments: piece } }] })]));
        }
      }
    }
    perChoice.push(own);
  }
  for (let k = 0; perChoice.some((own) => k < own.length); k += 1) {
    for (const own of perChoice) if (k < own.length) frames.push(own[k]!);
  }
  if (fault.midStreamError) {
    frames.length = Math.min(frames.length, roleChunkAt + 2);
    frames.push(
      dataFrame({
        error: {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        },
      }),
    );
    return frames;
  }
  const placement = fault.usagePlacement ?? dialect.usagePlacement;
  const usage = includeUsage ? input.usage : undefined;
  for (let index = 1; index < n; index += 1) frames.push(chunk([delta(index, {}, input.finishReason)]));
  if (placement === 'finish-chunk') {
    frames.push(chunk([delta(0, {}, input.finishReason)], usage));
  } else {
    frames.push(chunk([delta(0, {}, input.finishReason)]));
    if (usage !== undefined) frames.push(chunk([], usage));
  }
  if (!fault.omitDone) frames.push(DONE_FRAME);
  return frames;
}
