/**
 * The deterministic "model" behind every LLM fake, so tests can predict text and bill:
 * - reply text: `Echo: <last user text>` (or a scripted text);
 * - input tokens: words (whitespace-separated) in all request text (system, every message, tool
 *   results) plus IMAGE_TOKENS per image;
 * - output tokens: words in the reply (a tool call counts as TOOL_CALL_TOKENS);
 * - when tools are offered and the tool choice forces one (required, or a named tool), the reply is
 *   a tool call to that (or the first) tool with arguments `{"echo":"<last user text>"}`.
 * Each fake extracts an `EchoInput` from its own wire format.
 */

export const IMAGE_TOKENS = 10;
export const TOOL_CALL_TOKENS = 5;

export interface EchoInput {
  /** Every text in the request, in order. */
  texts: string[];
  lastUserText: string;
  imageCount: number;
  toolNames: string[];
  /** The tool the request forces, if any. */
  forcedTool?: string;
}

export interface EchoReply {
  text: string;
  /** Stream deltas; they concatenate to `text`. */
  deltas: string[];
  toolCall?: { id: string; name: string; arguments: string };
  inputTokens: number;
  outputTokens: number;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

export function echo(input: EchoInput, scriptedText?: string): EchoReply {
  const inputTokens =
    input.texts.reduce((sum, text) => sum + countWords(text), 0) + input.imageCount * IMAGE_TOKENS;
  if (input.forcedTool !== undefined && scriptedText === undefined) {
    return {
      text: '',
      deltas: [],
      toolCall: {
        id: 'call_fake_0',
        name: input.forcedTool,
        arguments: JSON.stringify({ echo: input.lastUserText }),
      },
      inputTokens,
      outputTokens: TOOL_CALL_TOKENS,
    };
  }
  const text = scriptedText ?? `Echo: ${input.lastUserText}`;
  return { text, deltas: splitDeltas(text), inputTokens, outputTokens: countWords(text) };
}

/** Splits after each space so deltas rejoin exactly; multi-byte characters stay whole. */
export function splitDeltas(text: string): string[] {
  const parts = text.match(/\S*\s*/g)?.filter((part) => part !== '') ?? [];
  return parts.length === 0 ? [text] : parts;
}

/** Splits a JSON text into a few pieces, as vendors stream tool arguments. */
export function splitArguments(json: string): string[] {
  const size = Math.max(1, Math.ceil(json.length / 3));
  const out: string[] = [];
  for (let i = 0; i < json.length; i += size) out.push(json.slice(i, i + size));
  return out;
}
