import type { ChatMessage } from '../providers/index.js';

export type BotPlatform = 'telegram' | 'slack' | 'discord';

/** One chat turn as the gateway runs it: the same router, hold/settle and job row as the REST API. */
export interface ChatRunRequest {
  accountId: string;
  /** Recorded on the job row. */
  channel: BotPlatform;
  /** Our catalog model id. */
  model: string;
  system?: string;
  messages: ChatMessage[];
  /** Bounds the hold and the answer; bots keep answers chat-sized. */
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

/** What the ledger and the job row say about a finished turn; bots show these figures, never estimates. */
export interface ChatRunResult {
  jobId: string;
  costMrp: bigint;
  /** The upstream refused for safety: nothing was charged. */
  refused: boolean;
}

export interface ChatRun {
  /**
   * The answer's text deltas. Failures before the first delta (insufficient balance, model
   * unavailable, rate limited) throw CoreError from the first `next()`; a stream cut midway throws
   * after the deltas already produced.
   */
  deltas: AsyncIterable<string>;
  /** Settles after `deltas` is exhausted (or has thrown). */
  result: Promise<ChatRunResult>;
}

/** The single chat entry point the conversation core calls; core/routing provides it. */
export type ChatRunner = (request: ChatRunRequest) => ChatRun;
