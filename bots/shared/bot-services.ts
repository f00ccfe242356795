import type { ChatService } from '../../core/chat/index.js';
import type { ReplyTarget } from '../../db/index.js';
import type { BankAccount } from './i18n/index.js';

/** A created top-up request, as the bots show it. */
export interface BotTopup {
  transferAmountMrp: bigint;
  code: string;
  bankAccounts: BankAccount[];
  expiresAt: Date;
}

/** The top-up side the bots need (core/topups implements it; absent until configured). */
export interface BotTopups {
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

/** A generated image or video, ready to upload, with what the job row says it cost. */
export interface BotMediaResult {
  jobId: string;
  model: string;
  costMrp: bigint;
  files: { filename: string; contentType: string; data: Uint8Array }[];
  /** Video length, for the caption. */
  seconds?: number;
}

/** Image and video generation for the bots (the media service implements it; absent until then). */
export interface BotMedia {
  image(input: {
    accountId: string;
    channel: 'telegram' | 'slack' | 'discord';
    prompt: string;
    size?: string;
    count?: number;
  }): Promise<BotMediaResult>;
  video?(input: {
    accountId: string;
    channel: 'telegram' | 'slack' | 'discord';
    prompt: string;
    replyTo: ReplyTarget;
  }): Promise<{ jobId: string }>;
}

/** Everything a bot adapter calls into, wired once in bots/index.ts. */
export interface BotServices {
  chat: ChatService;
  topups?: BotTopups;
  media?: BotMedia;
}
