/**
 * Every text a bot user sees, as typed functions. `id.ts` (Bahasa Indonesia, the default) and
 * `en.ts` both implement this interface, so a missing message fails the type check.
 * Money is always milli-rupiah (`bigint`) and is formatted by the messages themselves.
 * Texts are plain Markdown-light: `*bold*`-free, so every platform can show them as they are.
 */

export const BOT_COMMANDS = [
  'start',
  'help',
  'new',
  'model',
  'balance',
  'usage',
  'topup',
  'redeem',
  'link',
  'image',
  'video',
  'lang',
  'privacy',
  'export',
  'delete',
] as const;

export type BotCommandName = (typeof BOT_COMMANDS)[number];

export type Language = 'id' | 'en';

export interface BankAccount {
  bank: string;
  number: string;
  holder: string;
}

export interface UsageRow {
  model: string;
  costMrp: bigint;
  at: Date;
}

export interface Messages {
  /** Short description for platform command menus (Telegram setMyCommands: 1–256 chars; Discord: 1–100). */
  commandDescription(command: BotCommandName): string;
  welcome(p: { name?: string }): string;
  help(): string;
  unknownCommand(p: { command: string }): string;

  chooseModel(p: { current: string }): string;
  modelSet(p: { model: string }): string;
  conversationReset(): string;
  stillAnswering(): string;

  balance(p: { balanceMrp: bigint }): string;
  usage(p: { rows: UsageRow[] }): string;

  topupInstructions(p: {
    transferMrp: bigint;
    code: string;
    accounts: BankAccount[];
    expiresAt: Date;
  }): string;
  topupConfirmed(p: { amountMrp: bigint; balanceMrp: bigint }): string;
  amountMissing(p: { minMrp: bigint }): string;
  amountInvalid(p: { minMrp: bigint; maxMrp: bigint }): string;

  redeemOk(p: { amountMrp: bigint; balanceMrp: bigint }): string;
  redeemInvalid(): string;
  redeemUsed(): string;
  redeemMissing(): string;

  linkCodeIssued(p: { code: string; expiresAt: Date }): string;
  linked(): string;
  linkInvalid(): string;

  promptMissing(p: { command: 'image' | 'video' }): string;
  photoUndecodable(): string;
  /** A photo whose caption could be an edit or a question: asked with two buttons. */
  photoChoose(): string;
  photoEditButton(): string;
  photoAskButton(): string;
  /** A button pressed after its photo was forgotten (or by someone else). */
  photoChoiceExpired(): string;
  imageWorking(): string;
  videoQueued(): string;
  imageCaption(p: { model: string; costMrp: bigint }): string;
  videoCaption(p: { model: string; costMrp: bigint; seconds: number }): string;

  insufficientBalance(p: { neededMrp?: bigint; balanceMrp?: bigint }): string;
  rateLimited(p: { retryAfterS?: number }): string;
  modelUnavailable(p: { model?: string }): string;
  contentRefused(): string;
  inputTooLong(): string;
  invalidRequest(): string;
  generationFailed(): string;
  accountSuspended(): string;

  languageChoose(): string;
  languageSet(): string;

  privacy(): string;
  exportSent(): string;
  deleteAsk(): string;
  deleteDone(): string;
  deleteCancelled(): string;
  deleteConfirmButton(): string;
  deleteCancelButton(): string;
}

const JAKARTA = 'Asia/Jakarta';

/** A date and time in Western Indonesian Time, e.g. `22/11/2026 19.45 WIB`. */
export function formatWib(date: Date, locale: string): string {
  const text = new Intl.DateTimeFormat(locale, {
    timeZone: JAKARTA,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
  return `${text.replace(',', '')} WIB`;
}
