import type { ChatInputRequest } from '../metering/index.js';
import { charCodeOfPieces, isHighSurrogate, sliceOfPieces } from '../text-pieces.js';

/**
 * Characters of text a request's stored prompt keeps, all its texts together (system, message
 * texts, tool-call arguments, reasoning, thinking). Stored prompts exist for the account's own
 * review and export (and support), never for billing: a prompt of megabytes would cost the event
 * loop tens of milliseconds to serialize as a statement parameter, and its owner already has it.
 */
export const STORED_PROMPT_CHARS = 32 * 1024;

/**
 * What a chat job stores as its prompt (review and export, purged after the retention window):
 * the text, tool calls and parameters, with inline image bytes replaced by their size, so a job row
 * never carries megabytes of base64. Texts are kept until `STORED_PROMPT_CHARS` are used, the
 * newest message's first, then older messages', the system prompt's last (within a message, in
 * order); a text cut there keeps its head and says how many characters were not stored (`omittedChars`
 * beside it, `<field>OmittedChars` for `system` and `reasoning`), and the record's own
 * `omittedChars` is their total.
 */
export function promptRecord(
  request: ChatInputRequest,
  limit = STORED_PROMPT_CHARS,
): Record<string, unknown> {
  const budget = new TextBudget(limit);
  // The newest message first: it is what the request asked; then older ones, the system prompt last.
  const newestFirst = [...request.messages].reverse().map((message) => {
    const stored: Record<string, unknown> = {
      ...message,
      content: message.content.map((part) => {
        if (part.type === 'text') return budget.fields(part, ['text']);
        if ('data' in part) {
          return { type: 'image', mediaType: part.mediaType, bytes: Math.floor((part.data.length * 3) / 4) };
        }
        return budget.fields(part, ['url']);
      }),
    };
    if (message.role === 'assistant') {
      if (message.toolCalls)
        stored.toolCalls = message.toolCalls.map((call) => budget.fields(call, ['arguments']));
      if (message.reasoning !== undefined)
        Object.assign(stored, budget.field('reasoning', message.reasoning));
      if (message.thinking) {
        stored.thinking = message.thinking.map((block) =>
          block.type === 'thinking'
            ? budget.fields(block, ['thinking', 'signature'])
            : budget.fields(block, ['data']),
        );
      }
    }
    return stored;
  });
  const record: Record<string, unknown> = {};
  if (request.system !== undefined) Object.assign(record, budget.field('system', request.system));
  record.messages = newestFirst.reverse();
  if (request.tools) record.tools = request.tools.map((t) => t.name);
  if (budget.omitted > 0) record.omittedChars = budget.omitted;
  return record;
}

/** Hands out the characters a record may keep, in order, and counts those it may not. */
class TextBudget {
  omitted = 0;
  constructor(private left: number) {}

  /** `{ [name]: head }`, plus `[name]OmittedChars` when the text was cut. */
  field(name: string, text: string): Record<string, unknown> {
    const { head, omitted } = this.take(text);
    return omitted === 0 ? { [name]: head } : { [name]: head, [`${name}OmittedChars`]: omitted };
  }

  /** A copy of `holder` with the named texts cut to the budget and `omittedChars` when any was. */
  fields<T extends object>(holder: T, names: readonly (keyof T & string)[]): Record<string, unknown> {
    const copy = { ...holder } as Record<string, unknown>;
    let omitted = 0;
    for (const name of names) {
      const text = copy[name];
      if (typeof text !== 'string') continue;
      const cut = this.take(text);
      copy[name] = cut.head;
      omitted += cut.omitted;
    }
    if (omitted > 0) copy.omittedChars = omitted;
    return copy;
  }

  private take(text: string): { head: string; omitted: number } {
    if (text.length <= this.left) {
      this.left -= text.length;
      return { head: text, omitted: 0 };
    }
    let end = this.left;
    // A surrogate pair stays whole: its first half alone would be stored as U+FFFD.
    // Read from the text's pieces: a read of a rebuilt rope would copy it whole first.
    const last = end > 0 ? charCodeOfPieces(text, end - 1) : 0;
    if (isHighSurrogate(last)) end -= 1;
    this.left = 0;
    const head = end === 0 ? '' : sliceOfPieces(text, 0, end);
    this.omitted += text.length - end;
    return { head, omitted: text.length - end };
  }
}
