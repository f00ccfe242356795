import { type Api, GrammyError } from 'grammy';
import { realScheduler, type Scheduler } from '../shared/scheduler.js';
import { MESSAGE_LIMITS, splitMessage } from '../shared/split-message.js';
import { markdownToTelegramHtml, markdownToTelegramPlain } from './markdown-to-html.js';
import { floodWaitSeconds, isEntityParseError, isNotModified } from './telegram-errors.js';

export interface TelegramReplyTarget {
  chatId: number;
  /** Private chats stream through `sendMessageDraft`; groups through edits of one message. */
  isPrivate: boolean;
  messageThreadId?: number;
  /** The user's message this answer replies to (first part only). */
  replyToMessageId?: number;
}

export interface TelegramStreamOptions {
  scheduler?: Scheduler;
  /** Minimum gap between edits of the group message (Telegram tolerates about one per second per chat). */
  editIntervalMs?: number;
  /** Minimum gap between draft updates in private chats. */
  draftIntervalMs?: number;
  /**
   * "typing" is shown only when no text is visible this long after the stream starts (default
   * 1 s): an answer that starts sooner needs no indicator, and each one is a Bot API call.
   */
  typingDelayMs?: number;
  /** Chat actions expire after about 5 s; they are renewed this often while the answer is produced. */
  typingIntervalMs?: number;
  /** Non-zero; updates sharing it are animated as one draft. */
  draftId?: number;
  /** Attempts for each final message when Telegram answers 429. */
  maxAttempts?: number;
}

export interface TelegramStreamResult {
  /** The whole answer as Markdown (what the model produced, even when sending failed midway). */
  text: string;
  /** The persisted messages, in order. */
  messageIds: number[];
}

type Format = 'html' | 'plain';

/**
 * Streams an answer (async iterable of Markdown deltas) into a Telegram chat.
 *
 * While the answer grows, a throttled preview is shown: a draft in private chats, or one message
 * edited at most every `editIntervalMs` in groups, the first one as soon as the first text arrives;
 * a 429 on a preview postpones previews by `retry_after` instead of waiting. The upstream is read
 * from the start (nothing is sent before it); "typing" appears only if no text is visible after
 * `typingDelayMs`, and never after the final message. At the end the answer is split at 4096 characters and
 * persisted: the group message is edited into the first part, other parts are sent; in private
 * chats every part is sent (drafts are ephemeral). Final sends wait out 429s. HTML is used
 * until Telegram rejects its entities once; from then on plain text.
 *
 * If `deltas` throws, what arrived so far is persisted, then the error is rethrown so the caller
 * can send the localized failure message.
 */
export async function streamTelegramReply(
  api: Api,
  target: TelegramReplyTarget,
  deltas: AsyncIterable<string>,
  options: TelegramStreamOptions = {},
): Promise<TelegramStreamResult> {
  const streamer = new TelegramStreamer(api, target, options);
  return streamer.run(deltas);
}

class TelegramStreamer {
  private readonly scheduler: Scheduler;
  private readonly previewIntervalMs: number;
  private readonly typingDelayMs: number;
  private readonly typingIntervalMs: number;
  private readonly draftId: number;
  private readonly maxAttempts: number;
  private text = '';
  private format: Format = 'html';
  private shown = '';
  private previewMessageId: number | undefined;
  private nextPreviewAt = 0;
  private nextTypingAt = 0;
  /** The typing call in flight, awaited before the final message so it cannot show after it. */
  private typing: Promise<void> = Promise.resolve();
  private finished = false;
  /** Set when a preview call failed for a reason other than flood control: only finals are sent then. */
  private previewsOff = false;

  constructor(
    private readonly api: Api,
    private readonly target: TelegramReplyTarget,
    options: TelegramStreamOptions,
  ) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.previewIntervalMs = target.isPrivate
      ? (options.draftIntervalMs ?? 500)
      : (options.editIntervalMs ?? 1000);
    this.typingDelayMs = options.typingDelayMs ?? 1000;
    this.typingIntervalMs = options.typingIntervalMs ?? 4000;
    this.draftId = options.draftId ?? 1 + Math.floor(Math.random() * 2_000_000_000);
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async run(deltas: AsyncIterable<string>): Promise<TelegramStreamResult> {
    let failure: { error: unknown } | undefined;
    this.nextTypingAt = this.scheduler.now() + this.typingDelayMs;
    // Nothing visible by then: show typing until the first text (the deltas renew it after).
    void this.scheduler.sleep(this.typingDelayMs).then(() => {
      if (!this.finished && this.shown === '') this.showTyping();
    });
    try {
      for await (const delta of deltas) {
        this.text += delta;
        if (this.scheduler.now() >= this.nextTypingAt) this.showTyping();
        if (!this.previewsOff && this.scheduler.now() >= this.nextPreviewAt) await this.preview();
      }
    } catch (error) {
      failure = { error };
    }
    this.finished = true;
    await this.typing;
    const messageIds = await this.finish();
    if (failure) throw failure.error;
    return { text: this.text, messageIds };
  }

  /** Sends "typing" when due, without holding up the answer. */
  private showTyping(): void {
    this.typing = Promise.all([this.typing, this.keepTyping()]).then(() => undefined);
  }

  private async keepTyping(): Promise<void> {
    if (this.scheduler.now() < this.nextTypingAt) return;
    this.nextTypingAt = this.scheduler.now() + this.typingIntervalMs;
    try {
      await this.api.sendChatAction(this.target.chatId, 'typing', this.threadOption());
    } catch (error) {
      // The typing indicator is cosmetic; a flood wait only delays the next one.
      const wait = floodWaitSeconds(error);
      if (wait !== undefined) this.nextTypingAt = this.scheduler.now() + wait * 1000;
    }
  }

  /** Private chats show the part being written; groups keep showing the first part. */
  private previewPart(): string | undefined {
    const parts = splitMessage(this.text, MESSAGE_LIMITS.telegram);
    return this.target.isPrivate ? parts.at(-1) : parts[0];
  }

  private async preview(): Promise<void> {
    const part = this.previewPart();
    this.nextPreviewAt = this.scheduler.now() + this.previewIntervalMs;
    if (part === undefined || part === this.shown) return;
    try {
      await this.withFormatFallback(async (format) => {
        const { text, other } = this.render(part, format);
        if (this.target.isPrivate) {
          await this.api.sendMessageDraft(this.target.chatId, this.draftId, text, {
            ...other,
            ...this.threadOption(),
          });
        } else if (this.previewMessageId === undefined) {
          const sent = await this.api.sendMessage(this.target.chatId, text, {
            ...other,
            ...this.firstPartOptions(),
          });
          this.previewMessageId = sent.message_id;
        } else {
          await this.api.editMessageText(this.target.chatId, this.previewMessageId, text, other);
        }
      });
      this.shown = part;
    } catch (error) {
      const wait = floodWaitSeconds(error);
      if (wait !== undefined) {
        this.nextPreviewAt = this.scheduler.now() + wait * 1000;
        return;
      }
      if (isNotModified(error)) {
        this.shown = part;
        return;
      }
      // Previews are a courtesy (drafts may be unavailable, the message may have been deleted):
      // stop them and let the final send succeed or report the real problem.
      this.previewsOff = true;
    }
  }

  private async finish(): Promise<number[]> {
    const parts = splitMessage(this.text, MESSAGE_LIMITS.telegram);
    const messageIds: number[] = [];
    for (const [index, part] of parts.entries()) {
      if (index === 0 && this.previewMessageId !== undefined) {
        const messageId = this.previewMessageId;
        const edited =
          part === this.shown ||
          (await this.persist(
            (text, other) => this.api.editMessageText(this.target.chatId, messageId, text, other),
            part,
          ).then(
            () => true,
            (error: unknown) => {
              // The preview message is gone or no longer editable: send the part as a new message.
              if (error instanceof GrammyError && error.error_code === 400) return false;
              throw error;
            },
          ));
        if (edited) {
          messageIds.push(messageId);
          continue;
        }
      }
      const extra = index === 0 ? this.firstPartOptions() : this.threadOption();
      const sent = await this.persist(
        (text, other) => this.api.sendMessage(this.target.chatId, text, { ...other, ...extra }),
        part,
      );
      if (sent && typeof sent === 'object') messageIds.push(sent.message_id);
    }
    return messageIds;
  }

  /** Sends one final part, waiting out flood control; an identical edit counts as done. */
  private async persist<T>(
    send: (text: string, other: { parse_mode?: 'HTML' }) => Promise<T>,
    part: string,
  ): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withFormatFallback((format) => {
          const { text, other } = this.render(part, format);
          return send(text, other);
        });
      } catch (error) {
        if (isNotModified(error)) return undefined;
        const wait = floodWaitSeconds(error);
        if (wait === undefined || attempt >= this.maxAttempts) throw error;
        await this.scheduler.sleep(wait * 1000);
      }
    }
  }

  /** Runs `send` as HTML; if Telegram cannot parse the entities, switches to plain text for good. */
  private async withFormatFallback<T>(send: (format: Format) => Promise<T>): Promise<T> {
    if (this.format === 'plain') return send('plain');
    try {
      return await send('html');
    } catch (error) {
      if (!isEntityParseError(error)) throw error;
      this.format = 'plain';
      return send('plain');
    }
  }

  private render(part: string, format: Format): { text: string; other: { parse_mode?: 'HTML' } } {
    if (format === 'html') {
      const html = markdownToTelegramHtml(part);
      if (html.trim() !== '') return { text: html, other: { parse_mode: 'HTML' } };
    }
    const plain = markdownToTelegramPlain(part);
    return { text: plain.trim() === '' ? part : plain, other: {} };
  }

  private threadOption(): { message_thread_id?: number } {
    return this.target.messageThreadId === undefined
      ? {}
      : { message_thread_id: this.target.messageThreadId };
  }

  private firstPartOptions(): {
    message_thread_id?: number;
    reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
  } {
    return {
      ...this.threadOption(),
      ...(this.target.replyToMessageId === undefined
        ? {}
        : {
            reply_parameters: { message_id: this.target.replyToMessageId, allow_sending_without_reply: true },
          }),
    };
  }
}
