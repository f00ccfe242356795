import type { EchoInput, EchoReply } from './llm-echo.js';
import { countWords, splitArguments, splitDeltas } from './llm-echo.js';
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

export function usageFor(
  reply: EchoReply,
  fault: OpenAIWireFault,
  dialect: OpenAIWireDialect,
  reasoningText?: string,
): Record<string, unknown> | undefined {
  if (fault.usage === 'missing') return undefined;
  const zero = fault.usage === 'zero';
  const prompt = zero ? 0 : (fault.reply?.inputTokens ?? reply.inputTokens);
  const reasoning = zero ? 0 : (fault.reply?.reasoningTokens ?? countWords(reasoningText ?? ''));
  const output = zero
    ? 0
    : (fault.reply?.outputTokens ?? (fault.safety ? 0 : reply.outputTokens)) + reasoning;
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
}

export function streamFrames(input: StreamInput): string[] {
  const { id, model, reply, fault, includeUsage, dialect } = input;
  const chunk = (choices: unknown[], usage?: unknown) => {
    const value: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      choices,
    };
    if (includeUsage) value.usage = usage ?? null;
    return dataFrame(value);
  };
  const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
    index: 0,
    delta: d,
    logprobs: null,
    finish_reason: finish,
  });
  const frames: string[] = [];
  if (dialect.keepAlive) frames.push(commentFrame('keep-alive'), commentFrame('keep-alive'));
  const roleChunkAt = frames.length;
  frames.push(chunk([delta({ role: 'assistant', content: '' })]));
  if (!fault.safety) {
    for (const text of input.reasoningText ? splitDeltas(input.reasoningText) : []) {
      frames.push(chunk([delta({ content: null, reasoning_content: text })]));
    }
    for (const text of reply.deltas) frames.push(chunk([delta({ content: text })]));
    if (reply.toolCall) {
      const { id: callId, name, arguments: args } = reply.toolCall;
      frames.push(
        chunk([
          delta({
            tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }],
          }),
        ]),
      );
      for (const piece of splitArguments(args)) {
        frames.push(chunk([delta({ tool_calls: [{ index: 0, function: { arguments: piece } }] })]));
      }
    }
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
  if (placement === 'finish-chunk') {
    frames.push(chunk([delta({}, input.finishReason)], usage));
  } else {
    frames.push(chunk([delta({}, input.finishReason)]));
    if (usage !== undefined) frames.push(chunk([], usage));
  }
  if (!fault.omitDone) frames.push(DONE_FRAME);
  return frames;
}
