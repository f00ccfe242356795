import type { ChatService } from '../../core/chat/index.js';
import type { ReplyTarget } from '../../db/index.js';
import type { BankAccount } from './i18n/index.js';
import type { BotTranscription } from './voice-note.js';

/** A created top-up request, as the bots show it. */
export interface BotTopup {
  transferAmountMrp: bigint;
  code: string;
  bankAccounts: BankAccount[];
  expiresAt: Date;
}

/** The top-up side the bots need (core/topups implements it; absent until configured). */
export interface BotTopups {
  /** Bank transfer is offered only when BANK_ACCOUNTS names at least one account. */
  bankTransfer: boolean;
  /** Bounds of `/topup AMOUNT`, milli-rupiah, inclusive. */
  minMrp: bigint;
  maxMrp: bigint;
  create(input: {
    accountId: string;
    amountMrp: bigint;
    channel: 'telegram' | 'slack' | 'discord';
    replyTo: ReplyTarget;
  }): Promise<BotTopup>;
  /** Credits a voucher once per account; CoreError `not_found` / `conflict` when unknown / used. */
  redeemVoucher?(accountId: string, code: string): Promise<{ amountMrp: bigint; balanceMrp: bigint }>;
}

/**
 * Where a finished image or video goes, kept on the media job and handed back to the bots by the
 * delivery worker: the chat, and for Discord the interaction to complete (tokens last 15 minutes).
 */
export interface MediaReplyTo {
  platform: 'telegram' | 'slack' | 'discord';
  chatId?: string;
  threadId?: string;
  userId?: string;
  locale?: 'id' | 'en';
  /** Telegram: the message the result answers. */
  replyToMessageId?: number;
  /** Telegram: the "working on it" notice, edited with progress and replaced by the result. */
  workingMessageId?: number;
  /** Slack: the same notice in the request's thread (its `ts`). */
  workingMessageTs?: string;
  /** Discord: the deferred interaction. */
  applicationId?: string;
  interactionToken?: string;
  attachmentSizeLimit?: number;
  [key: string]: unknown;
}

/**
 * Image and video generation for the bots (core/media): submitting holds the price and queues the
 * work; the delivery worker brings the result back to `replyTo`, charged once by the job row.
 */
export interface BotMedia {
  submitImage(input: {
    accountId: string;
    channel: 'telegram' | 'slack' | 'discord';
    prompt: string;
    size?: string;
    n?: number;
    replyTo: MediaReplyTo;
  }): Promise<{ id: string }>;
  /** An edit of the user's image(s); the bytes are decoded and checked here (`invalid_request` if not an image). */
  submitImageEdit(input: {
    accountId: string;
    channel: 'telegram' | 'slack' | 'discord';
    prompt: string;
    images: { name?: string; bytes: Uint8Array }[];
    replyTo: MediaReplyTo;
  }): Promise<{ id: string }>;
  submitVideo(input: {
    accountId: string;
    channel: 'telegram' | 'slack' | 'discord';
    prompt: string;
    replyTo: MediaReplyTo;
  }): Promise<{ id: string }>;
}

/** The privacy rights the bots offer (core/privacy): export sends a file, delete asks to confirm. */
export interface BotPrivacy {
  exportData(accountId: string): Promise<unknown>;
  deleteAccount(
    accountId: string,
    input: { confirm: string },
    actor: { channel?: 'telegram' | 'slack' | 'discord' },
  ): Promise<unknown>;
}

/** Everything a bot adapter calls into, wired once in bots/index.ts. */
export interface BotServices {
  chat: ChatService;
  privacy?: BotPrivacy;
  topups?: BotTopups;
  media?: BotMedia;
  /** Speech to text for voice notes (core/transcription). */
  transcription?: BotTranscription;
  /** Telegram Stars packages are configured (Telegram's /topup offers them). */
  starsOffered?: boolean;
  /** Sends a short text to one person privately (link notices); best effort. */
  tell?(target: ReplyTarget, text: string): Promise<void>;
}
