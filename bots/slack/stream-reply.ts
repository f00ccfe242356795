import { ErrorCode, type WebClient } from '@slack/web-api';
import { realScheduler, type Scheduler } from '../shared/scheduler.js';
import { MESSAGE_LIMITS, splitMessage } from '../shared/split-message.js';
import { markdownToMrkdwn } from './markdown-to-mrkdwn.js';

/** Slack's limit on `markdown_text` in each chat.startStream / appendStream / stopStream call. */
export const MAX_STREAM_CHUNK = 12_000;

export interface SlackReplyTarget {
  channel: string;
  /**
   * The thread the answer goes in. Without one (a direct message, one continuing conversation)
   * the answer is a top-level message, written by edits: Slack streams only into threads.
   */
  threadTs?: string;
  /** Required by chat.startStream outside direct messages. */
  recipientUserId?: string;
  recipientTeamId?: string;
}

export interface SlackStreamOptions {
  scheduler?: Scheduler;
  /**
   * `stream`: chat.startStream / appendStream / stopStream; `update`: one message edited with
   * chat.update; `auto` (default): stream, falling back to update when the workspace or token
   * cannot stream.
   */
  mode?: 'auto' | 'stream' | 'update';
  /** Minimum gap between appends (stream) or updates (update mode). */
  intervalMs?: number;
  /** Stream mode appends early once this many characters are waiting. */
  appendChars?: number;
  /** Attempts for final calls when Slack answers 429. */
  maxAttempts?: number;
}

export interface SlackStreamResult {
  text: string;
  /** Timestamps of the persisted messages, in order. */
  messageTs: string[];
  mode: 'stream' | 'update';
}

/**
 * Streams an answer (Markdown deltas) into a Slack thread. Pass a WebClient built with
 * `rejectRateLimitedCalls: true` so 429s come back here: intermediate calls are then postponed
 * by `Retry-After` (text keeps accumulating), final calls wait it out with the scheduler.
 * Update mode splits the final answer at ~3500 characters (first part edited in, the rest posted
 * in the thread); stream mode sends the Markdown as it comes, unsplit.
 * If `deltas` throws, what arrived is finalized and the error rethrown.
 */
export async function streamSlackReply(
  client: WebClient,
  target: SlackReplyTarget,
  deltas: AsyncIterable<string>,
  options: SlackStreamOptions = {},
): Promise<SlackStreamResult> {
  const scheduler = options.scheduler ?? realScheduler;
  const state = new ReplyState(client, target, scheduler, options);
  let failure: { error: unknown } | undefined;
  try {
    for await (const delta of deltas) {
      state.text += delta;
      await state.progress();
    }
  } catch (error) {
    failure = { error };
  }
  const messageTs = await state.finish();
  if (failure) throw failure.error;
  return { text: state.text, messageTs, mode: state.mode };
}

class ReplyState {
  text = '';
  mode: 'stream' | 'update';
  private readonly fallback: boolean;
  private readonly intervalMs: number;
  private readonly appendChars: number;
  private readonly maxAttempts: number;
  /** Characters of `text` already handed to Slack (stream mode). */
  private sent = 0;
  private streamTs: string | undefined;
  /** Where update mode starts: 0, or the end of a stream that broke midway (its text stays there). */
  private updateFrom = 0;
  private updateTs: string | undefined;
  private shown = '';
  private nextAt = 0;
  /** Set by a 429: nothing intermediate is sent before this time, whatever is waiting. */
  private blockedUntil = 0;

  constructor(
    private readonly client: WebClient,
    private readonly target: SlackReplyTarget,
    private readonly scheduler: Scheduler,
    options: SlackStreamOptions,
  ) {
    this.mode = options.mode === 'update' || target.threadTs === undefined ? 'update' : 'stream';
    this.fallback = (options.mode ?? 'auto') === 'auto';
    this.intervalMs = options.intervalMs ?? 1000;
    this.appendChars = options.appendChars ?? 256;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async progress(): Promise<void> {
    if (this.scheduler.now() < this.blockedUntil) return;
    const pending = this.text.length - this.sent;
    const due = this.scheduler.now() >= this.nextAt;
    if (this.mode === 'stream') {
      if (pending > 0 && (due || (this.streamTs !== undefined && pending >= this.appendChars))) {
        await this.attempt(() => this.pushStream());
      }
    } else if (due) {
      await this.attempt(() => this.pushUpdate());
    }
  }

  async finish(): Promise<string[]> {
    if (this.mode === 'stream' && this.text.trim() !== '') {
      if (this.streamTs === undefined) await this.persist(() => this.pushStream());
      if (this.mode === 'stream') {
        const stopped = await this.persist(async () => {
          // Each call carries at most 12,000 characters: the backlog goes in appends first.
          while (this.text.length - this.sent > MAX_STREAM_CHUNK) await this.pushStream();
          if (this.mode !== 'stream') return;
          const rest = this.text.slice(this.sent);
          await this.client.chat.stopStream({
            channel: this.target.channel,
            ts: this.streamTs!,
            ...(rest ? { markdown_text: rest } : {}),
          });
          this.sent = this.text.length;
        }).then(
          () => true,
          async (error: unknown) => {
            if (!isPlatformError(error)) throw error;
            await this.breakStream();
            return false;
          },
        );
        if (stopped && this.mode === 'stream') return [this.streamTs!];
      }
    }
    const streamed = this.streamTs === undefined ? [] : [this.streamTs];
    return [...streamed, ...(await this.finishUpdate())];
  }

  /**
   * The stream can no longer be appended to: what it holds stays, the rest goes in new messages.
   * The stream is still stopped (best effort), so it does not stay "typing" forever.
   */
  private async breakStream(): Promise<void> {
    this.mode = 'update';
    this.updateFrom = this.sent;
    if (this.streamTs === undefined) return;
    await this.client.chat
      .stopStream({ channel: this.target.channel, ts: this.streamTs })
      .catch(() => undefined);
  }

  /** One intermediate call: a 429 postpones the next one; a stream refusal switches to updates. */
  private async attempt(call: () => Promise<void>): Promise<void> {
    this.nextAt = this.scheduler.now() + this.intervalMs;
    try {
      await call();
    } catch (error) {
      const wait = retryAfterSeconds(error);
      if (wait === undefined) throw error;
      this.blockedUntil = this.scheduler.now() + wait * 1000;
    }
  }

  private async persist(call: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const wait = retryAfterSeconds(error);
        if (wait === undefined || attempt >= this.maxAttempts) throw error;
        await this.scheduler.sleep(wait * 1000);
      }
    }
  }

  private async pushStream(): Promise<void> {
    const chunk = this.text.slice(this.sent, this.sent + MAX_STREAM_CHUNK);
    if (chunk.trim() === '' && this.streamTs === undefined) return;
    if (this.streamTs === undefined) {
      try {
        const started = await this.client.chat.startStream({
          channel: this.target.channel,
          thread_ts: this.target.threadTs!,
          markdown_text: chunk,
          ...(this.target.recipientUserId ? { recipient_user_id: this.target.recipientUserId } : {}),
          ...(this.target.recipientTeamId ? { recipient_team_id: this.target.recipientTeamId } : {}),
        });
        this.streamTs = started.ts;
      } catch (error) {
        if (!this.fallback || !isPlatformError(error)) throw error;
        this.mode = 'update';
        return this.pushUpdate();
      }
    } else {
      try {
        await this.client.chat.appendStream({
          channel: this.target.channel,
          ts: this.streamTs,
          markdown_text: chunk,
        });
      } catch (error) {
        if (!isPlatformError(error)) throw error;
        return await this.breakStream();
      }
    }
    this.sent += chunk.length;
  }

  private async pushUpdate(): Promise<void> {
    const first = splitMessage(this.text.slice(this.updateFrom), MESSAGE_LIMITS.slack)[0];
    if (first === undefined || first === this.shown) return;
    await this.writeFirst(first);
  }

  private async writeFirst(part: string): Promise<void> {
    const text = markdownToMrkdwn(part);
    if (this.updateTs === undefined) {
      const posted = await this.client.chat.postMessage({
        channel: this.target.channel,
        ...(this.target.threadTs ? { thread_ts: this.target.threadTs } : {}),
        text,
      });
      this.updateTs = posted.ts;
    } else {
      await this.client.chat.update({ channel: this.target.channel, ts: this.updateTs, text });
    }
    this.shown = part;
  }

  private async finishUpdate(): Promise<string[]> {
    const parts = splitMessage(this.text.slice(this.updateFrom), MESSAGE_LIMITS.slack);
    const messageTs: string[] = [];
    for (const [index, part] of parts.entries()) {
      if (index === 0) {
        if (part !== this.shown) await this.persist(() => this.writeFirst(part));
        if (this.updateTs) messageTs.push(this.updateTs);
        continue;
      }
      await this.persist(async () => {
        const posted = await this.client.chat.postMessage({
          channel: this.target.channel,
          ...(this.target.threadTs ? { thread_ts: this.target.threadTs } : {}),
          text: markdownToMrkdwn(part),
        });
        if (posted.ts) messageTs.push(posted.ts);
      });
    }
    return messageTs;
  }
}

function retryAfterSeconds(error: unknown): number | undefined {
  const coded = error as { code?: string; retryAfter?: number };
  return coded?.code === ErrorCode.RateLimitedError ? (coded.retryAfter ?? 1) : undefined;
}

function isPlatformError(error: unknown): boolean {
  return (error as { code?: string })?.code === ErrorCode.PlatformError;
}
