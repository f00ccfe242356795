import type { ChatModel } from '../catalog/index.js';
import type { PriceSnapshot } from '../jobs/index.js';
import { tokenCostMrp } from '../ledger/index.js';
import type { ChatMessage, ChatRequest, ToolCall, Usage } from '../providers/index.js';
import { countTokensOfTexts, textTokenBound } from './tokens.js';

/**
 * The money policy of a chat request: what to hold before calling upstream, and what to charge after.
 *
 * Hold = a true upper bound of the cost: input bound x input price (the highest cache-write price when
 * the request marks cache breakpoints) + max output x output price.
 * The input bound can not be gamed: UTF-8 bytes of every text the upstream reads (system prompt,
 * messages, tool calls, tool definitions, response schema; a byte-level token is at least one byte),
 * plus per-message template overhead, a documented per-image maximum and the hidden tool prompt,
 * capped by the model's context window (the upstream refuses a longer prompt). Max output is the
 * client's max bounded by the model's cap (or the cap itself). The charge is the upstream's reported
 * usage at the model's price, even above the hold (see the metered-job core).
 */

/** The request without the upstream model id and signal: what a caller asks of a catalog model. */
export type ChatInputRequest = Omit<ChatRequest, 'model' | 'signal'>;

/**
 * The most input tokens one image can count, across the vendors we route to (their documented
 * formulas at their maximum sizes): OpenAI high detail up to 1,445 (gpt-4o tiles) or 1,536 patches x
 * 2.46 = 3,779 (gpt-4.1-nano), Anthropic (w x h) / 750 up to ~4,784 (largest accepted images),
 * Gemini 258 per 768-px tile or 1,120 at high media resolution.
 */
export const IMAGE_TOKEN_BOUND = 5_000;
/** Chat templates add a few tokens per message (role markers, separators). */
const PER_MESSAGE_OVERHEAD = 8;
/** Tool use adds a hidden system prompt (Anthropic documents ~350 tokens) and per-tool framing. */
const TOOLS_OVERHEAD = 1_000;
const PER_TOOL_OVERHEAD = 32;

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
    ...(model.price.cacheWritePerMTokMrp === undefined
      ? {}
      : { cacheWritePerMTokMrp: model.price.cacheWritePerMTokMrp.toString() }),
    ...(model.price.cacheWrite1hPerMTokMrp === undefined
      ? {}
      : { cacheWrite1hPerMTokMrp: model.price.cacheWrite1hPerMTokMrp.toString() }),
  };
}

function messageTexts(message: ChatMessage): string[] {
  const texts: string[] = [];
  for (const part of message.content) if (part.type === 'text') texts.push(part.text);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) texts.push(call.name, call.arguments);
    // Sent back to Anthropic (which may count them while a tool-use turn continues).
    for (const block of message.thinking ?? []) {
      texts.push(block.type === 'thinking' ? block.thinking + block.signature : block.data);
    }
  }
  return texts;
}

interface InputParts {
  texts: string[];
  images: number;
  tools: number;
  /** Sum of the texts' lengths (UTF-16 units): each unit is at least one UTF-8 byte. */
  chars: number;
}

/**
 * What each request's texts are, measured once: admission asks for the bound and the estimate, and
 * settlement may ask again; requests are not changed once admitted. (Tool schemas are serialized
 * here, so a request with many deep ones is not serialized twice.)
 */
const measured = new WeakMap<ChatInputRequest, InputParts>();

/** Every text the upstream will read, and the number of images and tools. */
function inputParts(request: ChatInputRequest): InputParts {
  const known = measured.get(request);
  if (known) return known;
  const texts: string[] = [];
  let images = 0;
  if (request.system) texts.push(request.system);
  for (const message of request.messages) {
    for (const text of messageTexts(message)) texts.push(text);
    for (const part of message.content) if (part.type === 'image') images += 1;
  }
  for (const tool of request.tools ?? []) {
    texts.push(tool.name, tool.description ?? '', JSON.stringify(tool.parameters));
  }
  if (request.responseFormat?.schema) texts.push(JSON.stringify(request.responseFormat.schema));
  let chars = 0;
  for (const text of texts) chars += text.length;
  const parts = { texts, images, tools: request.tools?.length ?? 0, chars };
  measured.set(request, parts);
  return parts;
}

function overheadTokens(request: ChatInputRequest, images: number, tools: number): number {
  return (
    request.messages.length * PER_MESSAGE_OVERHEAD +
    images * IMAGE_TOKEN_BOUND +
    (tools > 0 ? TOOLS_OVERHEAD + tools * PER_TOOL_OVERHEAD : 0)
  );
}

/**
 * At least as many input tokens as any upstream will count for this request (linear, no
 * tokenizer), or `cap` if that is less. A text has at least as many UTF-8 bytes as UTF-16 units,
 * so when the lengths alone reach `cap` the answer is `cap` without reading a character: a prompt
 * of megabytes is never scanned (nor, if it arrived in pieces, joined) to learn it is too big.
 */
export function inputTokenBound(request: ChatInputRequest, cap = Number.POSITIVE_INFINITY): number {
  const { texts, images, tools, chars } = inputParts(request);
  const overhead = overheadTokens(request, images, tools);
  if (chars + overhead >= cap) return cap;
  let bytes = 0;
  for (const text of texts) bytes += textTokenBound(text);
  return Math.min(bytes + overhead, cap);
}

/** A likely input count (rate limits, usage an upstream did not report); bounded work, never above the bound. */
export async function estimateInputTokens(request: ChatInputRequest): Promise<number> {
  const { texts, images, tools } = inputParts(request);
  // As one text, so thousands of tiny messages cost one bounded tokenizer pass, not thousands.
  return (await countTokensOfTexts(texts)) + overheadTokens(request, images, tools);
}

/** The output budget: the client's max bounded by the model's cap, or the cap. */
export function maxOutputTokens(model: ChatModel, requested: number | undefined): number {
  if (requested === undefined || requested <= 0) return model.maxOutputTokens;
  return Math.min(requested, model.maxOutputTokens);
}

export interface ChatHold {
  amountMrp: bigint;
  /** The input bound the hold is priced at. */
  inputTokens: number;
  /** The output budget of one answer (what the upstream is told). */
  maxOutputTokens: number;
}

function holdInputPrice(model: ChatModel, request: ChatInputRequest): bigint {
  const price = model.price;
  const marked =
    request.messages.some((m) => m.content.some((p) => p.cacheControl)) ||
    request.systemParts?.some((p) => p.cacheControl) ||
    request.tools?.some((t) => t.cacheControl);
  if (!marked) return price.inputPerMTokMrp;
  return [price.cacheWritePerMTokMrp, price.cacheWrite1hPerMTokMrp].reduce<bigint>(
    (max, p) => (p !== undefined && p > max ? p : max),
    price.inputPerMTokMrp,
  );
}

/**
 * The worst case of a request, at least 1 mRp (a hold must be positive; a free model holds 1 mRp).
 * Several answers (`choices`) each may use the whole output budget; the prompt is read once.
 */
export function chatHold(model: ChatModel, request: ChatInputRequest): ChatHold {
  const inputTokens = inputTokenBound(request, model.contextWindow);
  const output = maxOutputTokens(model, request.maxOutputTokens);
  // A request with cache breakpoints may write its whole prompt to the cache, at the write price.
  const amount = tokenCostMrp(
    { inputTokens, outputTokens: output * Math.max(1, request.choices ?? 1), cachedInputTokens: 0 },
    { ...model.price, inputPerMTokMrp: holdInputPrice(model, request) },
  );
  return { amountMrp: amount > 0n ? amount : 1n, inputTokens, maxOutputTokens: output };
}

/** What the upstream produced, as billable output, when it reported no usage. */
export function estimateOutputTokens(text: string, toolCalls: ToolCall[]): Promise<number> {
  const parts = [text];
  for (const call of toolCalls) parts.push(call.name, call.arguments);
  return countTokensOfTexts(parts, '');
}

/** Usage estimated from the request and what was actually produced. */
export async function estimateUsage(
  request: ChatInputRequest,
  text: string,
  toolCalls: ToolCall[],
): Promise<Usage> {
  const [inputTokens, outputTokens] = await Promise.all([
    estimateInputTokens(request),
    estimateOutputTokens(text, toolCalls),
  ]);
  return {
    inputTokens,
    outputTokens,
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
      cacheWriteTokens: usage.cacheWriteInputTokens ?? 0,
      cacheWrite1hTokens: usage.cacheWrite1hInputTokens ?? 0,
    },
    model.price,
  );
}
