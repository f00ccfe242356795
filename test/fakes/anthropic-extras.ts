import { createHash } from 'node:crypto';
import { countWords } from './llm-echo.js';

/**
 * The Anthropic fake's extended thinking and prompt caching, after the Messages API docs:
 * - `thinking` `enabled` (budget_tokens >= 1024 and < max_tokens, else 400) or `adaptive`: the answer
 *   starts with a `thinking` block (`Thinking about: <last user text>`) whose `signature` the fake
 *   made; its words count as output tokens. A thinking block sent back in an assistant turn must carry
 *   the signature the fake gave it (Anthropic refuses a modified block with 400).
 * - `cache_control` breakpoints (on tools, system blocks, message blocks, or top level): the prompt
 *   prefix up to the last breakpoint, in the order tools -> system -> messages, is written to the
 *   cache on first sight (`cache_creation_input_tokens`, split 5m/1h by the breakpoint's ttl) and read
 *   from it afterwards (`cache_read_input_tokens`); tokens are words, as everywhere in the fakes.
 */

export function fakeSignature(thinking: string): string {
  return createHash('sha256').update(`fake-thinking:${thinking}`).digest('base64');
}

export const REDACTED_DATA = 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP';

/** A problem with the request's `thinking` or its thinking blocks, as Anthropic words it. */
export function thinkingProblem(body: Record<string, unknown>): string | undefined {
  const thinking = body.thinking as { type?: string; budget_tokens?: unknown } | undefined;
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || budget < 1024) {
      return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
    }
    if (typeof body.max_tokens === 'number' && body.max_tokens <= budget) {
      return '`max_tokens` must be greater than `thinking.budget_tokens`.';
    }
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  for (const [i, message] of messages.entries()) {
    if (!Array.isArray(message.content)) continue;
    for (const [j, block] of (message.content as Array<Record<string, unknown>>).entries()) {
      if (block.type === 'thinking' && block.signature !== fakeSignature(String(block.thinking))) {
        return `messages.${i}.content.${j}: Invalid \`signature\` in \`thinking\` block`;
      }
      if (block.type === 'redacted_thinking' && block.data !== REDACTED_DATA) {
        return `messages.${i}.content.${j}: Invalid \`data\` in \`redacted_thinking\` block`;
      }
    }
  }
  return undefined;
}

export function thinkingOf(body: Record<string, unknown>, lastUserText: string): string | undefined {
  const type = (body.thinking as { type?: string } | undefined)?.type;
  return type === 'enabled' || type === 'adaptive' ? `Thinking about: ${lastUserText}` : undefined;
}

export interface CacheUse {
  read: number;
  write5m: number;
  write1h: number;
}

type Marked = { cache_control?: { type?: string; ttl?: string } | null };

/** One cache shared by every request to a fake server (as an organization's cache is). */
export class FakePromptCache {
  private readonly seen = new Set<string>();

  use(body: Record<string, unknown>): CacheUse | undefined {
    const pieces: Array<{ text: string; mark?: Marked['cache_control'] }> = [];
    for (const tool of (Array.isArray(body.tools) ? body.tools : []) as Array<
      Record<string, unknown> & Marked
    >) {
      pieces.push({ text: `${tool.name} ${tool.description ?? ''}`, mark: tool.cache_control });
    }
    if (typeof body.system === 'string') pieces.push({ text: body.system });
    else if (Array.isArray(body.system)) {
      for (const block of body.system as Array<{ text?: string } & Marked>) {
        pieces.push({ text: block.text ?? '', mark: block.cache_control });
      }
    }
    for (const message of (body.messages ?? []) as Array<{ content?: unknown }>) {
      if (typeof message.content === 'string') pieces.push({ text: message.content });
      else if (Array.isArray(message.content)) {
        for (const block of message.content as Array<Record<string, unknown> & Marked>) {
          const text =
            typeof block.text === 'string'
              ? block.text
              : typeof block.content === 'string'
                ? block.content
                : '';
          pieces.push({ text, mark: block.cache_control });
        }
      }
    }
    const top = (body as Marked).cache_control;
    if (top && pieces.length > 0) pieces[pieces.length - 1] = { ...pieces.at(-1)!, mark: top };
    let last = -1;
    pieces.forEach((piece, i) => {
      if (piece.mark) last = i;
    });
    if (last < 0) return undefined;
    const prefix = pieces.slice(0, last + 1);
    const key = JSON.stringify(prefix.map((p) => p.text));
    const tokens = prefix.reduce((sum, p) => sum + countWords(p.text), 0);
    if (this.seen.has(key)) return { read: tokens, write5m: 0, write1h: 0 };
    this.seen.add(key);
    return prefix.at(-1)!.mark?.ttl === '1h'
      ? { read: 0, write5m: 0, write1h: tokens }
      : { read: 0, write5m: tokens, write1h: 0 };
  }
}
