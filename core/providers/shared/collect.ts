import type {
  ChatResult,
  ResponseInfo,
  StreamPart,
  ThinkingBlock,
  TokenLogprob,
  ToolCall,
  Usage,
} from '../contract.js';
import { appendLogprobs, foldResponseInfo, OtherChoices } from './choices.js';
import { providerNetworkError } from './errors.js';

/**
 * Folds a stream into the result `generate` would have returned: text concatenated, tool-call deltas
 * assembled by index, the last usage kept. A stream without `finish` is an error, never a result.
 */
export async function collectStream(
  parts: AsyncIterable<StreamPart>,
  provider = 'upstream',
): Promise<ChatResult> {
  let text = '';
  let reasoning = '';
  const thinking: ThinkingBlock[] = [];
  let usage: Usage | undefined;
  const calls = new Map<number, ToolCall>();
  let logprobs: TokenLogprob[] | undefined;
  let info: ResponseInfo | undefined;
  const others = new OtherChoices();
  for await (const part of parts) {
    if (others.fold(part)) continue;
    switch (part.type) {
      case 'text-delta':
        text += part.text;
        logprobs = appendLogprobs(logprobs, part.logprobs);
        break;
      case 'response-info':
        info = foldResponseInfo(info, part);
        break;
      case 'reasoning-delta':
        reasoning += part.text;
        foldThinking(thinking, part);
        break;
      case 'tool-call-delta':
        calls.set(part.index, foldToolCallDelta(calls.get(part.index), part));
        break;
      case 'usage':
        usage = part.usage;
        break;
      case 'finish': {
        const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
        return {
          text,
          ...(reasoning === '' ? {} : { reasoning }),
          ...(thinking.some(isSignedThinking) ? { thinking: thinking.filter(isSignedThinking) } : {}),
          toolCalls,
          finishReason: part.reason,
          ...(part.raw === undefined ? {} : { rawFinishReason: part.raw }),
          ...(usage === undefined ? {} : { usage }),
          ...(logprobs ? { logprobs } : {}),
          ...(others.results().length > 0 ? { choices: others.results() } : {}),
          ...(info ? { info } : {}),
        };
      }
    }
  }
  throw providerNetworkError(provider, 'stream ended without a finish');
}

/** Adds one tool-call delta to the call it continues (or starts it): the one fold every consumer uses. */
export function foldToolCallDelta(
  call: ToolCall | undefined,
  part: Extract<StreamPart, { type: 'tool-call-delta' }>,
): ToolCall {
  const next = call ?? { id: '', name: '', arguments: '' };
  if (part.id) next.id = part.id;
  if (part.name) next.name = part.name;
  if (part.signature) next.signature = part.signature;
  next.arguments += part.argumentsDelta;
  return next;
}

/** A block the upstream made (Anthropic): signed or redacted; plain reasoning (DeepSeek) makes none. */
export function isSignedThinking(block: ThinkingBlock): boolean {
  return block.type === 'redacted_thinking' || block.signature !== '';
}

/**
 * Adds one reasoning delta to the thinking blocks: text continues the last unsigned thinking block
 * (or starts one), a signature closes it, a redacted delta is a block of its own.
 */
export function foldThinking(
  blocks: ThinkingBlock[],
  part: Extract<StreamPart, { type: 'reasoning-delta' }>,
): void {
  if (part.redacted !== undefined) {
    blocks.push({ type: 'redacted_thinking', data: part.redacted });
    return;
  }
  let open = blocks.at(-1);
  if (open?.type !== 'thinking' || open.signature !== '') {
    if (part.text === '' && part.signature === undefined) return;
    open = { type: 'thinking', thinking: '', signature: '' };
    blocks.push(open);
  }
  open.thinking += part.text;
  if (part.signature !== undefined) open.signature = part.signature;
}
