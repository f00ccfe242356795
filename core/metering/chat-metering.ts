import type { ChatModel } from '../catalog/index.js';
import type { PriceSnapshot } from '../jobs/index.js';
import { tokenCostMrp } from '../ledger/index.js';
import type { ChatMessage, ChatRequest, ToolCall, Usage } from '../providers/index.js';
import { countTextTokens } from './tokens.js';

/**
 * The money policy of a chat request: what to hold before calling upstream, and what to charge after.
 *
 * Hold = worst case = (input estimate x margin + per-message overhead + images) x input price +
 * max output x output price, where max output is the client's max bounded by the model's cap (or the
 * cap itself). The ledger never charges more than the hold, so the input side is deliberately
 * generous: the upstream's tokenizer is not ours.
 */

/** The request without the upstream model id and signal: what a caller asks of a catalog model. */
export type ChatInputRequest = Omit<ChatRequest, 'model' | 'signal'>;

/** Vendors count images differently (OpenAI up to ~1.1k for high detail, Anthropic ~1.6k for big ones). */
export const IMAGE_TOKEN_ALLOWANCE = 2_000;
const PER_MESSAGE_OVERHEAD = 8;
const INPUT_MARGIN_NUM = 5n;
const INPUT_MARGIN_DEN = 4n;

/** Catalog models are immutable once loaded, so each one's snapshot is built once and shared. */
const snapshots = new WeakMap<ChatModel, PriceSnapshot>();

/** The price a job records (decimal strings of mRp); the same frozen object for the same model. */
export function priceSnapshot(model: ChatModel): PriceSnapshot {
  let snapshot = snapshots.get(model);
  if (!snapshot) {
    snapshot = Object.freeze(buildSnapshot(model));
    snapshots.set(model, snapshot);
  }
  return snapshot;
}

function buildSnapshot(model: ChatModel): PriceSnapshot {
  return {
    inputPerMTokMrp: model.price.inputPerMTokMrp.toString(),
    outputPerMTokMrp: model.price.outputPerMTokMrp.toString(),
    ...(model.price.cachedInputPerMTokMrp === undefined
      ? {}
      : { cachedInputPerMTokMrp: model.price.cachedInputPerMTokMrp.toString() }),
  };
}

function messageTexts(message: ChatMessage): string[] {
  const texts: string[] = [];
  for (const part of message.content) if (part.type === 'text') texts.push(part.text);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) texts.push(call.name, call.arguments);
  }
  return texts;
}

/** Every text the upstream will read, and the number of images, as the tokenizer sees them. */
export function estimateInputTokens(request: ChatInputRequest): number {
  const texts: string[] = [];
  let images = 0;
  if (request.system) texts.push(request.system);
  for (const message of request.messages) {
    texts.push(...messageTexts(message));
    images += message.content.filter((p) => p.type === 'image').length;
  }
  for (const tool of request.tools ?? []) {
    texts.push(tool.name, tool.description ?? '', JSON.stringify(tool.parameters));
  }
  if (request.responseFormat?.schema) texts.push(JSON.stringify(request.responseFormat.schema));
  const tokens = countTextTokens(texts.join('\n'));
  return tokens + request.messages.length * PER_MESSAGE_OVERHEAD + images * IMAGE_TOKEN_ALLOWANCE;
}

/** The output budget: the client's max bounded by the model's cap, or the cap. */
export function maxOutputTokens(model: ChatModel, requested: number | undefined): number {
  if (requested === undefined || requested <= 0) return model.maxOutputTokens;
  return Math.min(requested, model.maxOutputTokens);
}

export interface ChatHold {
  amountMrp: bigint;
  inputTokens: number;
  maxOutputTokens: number;
}

/** The worst case of a request, at least 1 mRp (a hold must be positive; a free model holds 1 mRp). */
export function chatHold(model: ChatModel, request: ChatInputRequest): ChatHold {
  const inputTokens = Math.min(estimateInputTokens(request), model.contextWindow);
  const output = maxOutputTokens(model, request.maxOutputTokens);
  const margined = Number(
    (BigInt(inputTokens) * INPUT_MARGIN_NUM + INPUT_MARGIN_DEN - 1n) / INPUT_MARGIN_DEN,
  );
  const amount = tokenCostMrp(
    { inputTokens: margined, outputTokens: output, cachedInputTokens: 0 },
    model.price,
  );
  return { amountMrp: amount > 0n ? amount : 1n, inputTokens, maxOutputTokens: output };
}

/** What the upstream produced, as billable output, when it reported no usage. */
export function estimateOutputTokens(text: string, toolCalls: ToolCall[]): number {
  const parts = [text];
  for (const call of toolCalls) parts.push(call.name, call.arguments);
  return countTextTokens(parts.join(''));
}

/** Usage estimated from the request and what was actually produced. */
export function estimateUsage(request: ChatInputRequest, text: string, toolCalls: ToolCall[]): Usage {
  return {
    inputTokens: estimateInputTokens(request),
    outputTokens: estimateOutputTokens(text, toolCalls),
    cachedInputTokens: 0,
    reasoningTokens: 0,
  };
}

/** The exact charge for a usage at the model's price (rounded up once to the next mRp). */
export function chatCostMrp(model: ChatModel, usage: Usage): bigint {
  return tokenCostMrp(
    {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
    },
    model.price,
  );
}
