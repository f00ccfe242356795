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

/** Discord also registers `/chat` (elsewhere plain messages are the chat). */
export type DiscordCommandName = BotCommandName | 'chat';

export type BotCommandName = (typeof BOT_COMMANDS)[number];

export type Language = 'id' | 'en';

/** The platforms whose command syntax the messages speak. */
export type CommandPlatform = 'telegram' | 'slack' | 'discord';

/**
 * How a command is written on a platform, so help and hints name what the person can type:
 * Telegram `/topup 50000`, Slack `/aiport topup 50000` (one slash command with subcommands),
 * Discord `/topup amount:50000` (registered slash commands with named options).
 */
export type CommandStyle = (name: string, args?: string) => string;

/** Discord's option name for each command's argument (see bots/discord/commands.ts). */
export const DISCORD_OPTION: Record<string, string> = {
  chat: 'prompt',
  image: 'prompt',
  video: 'prompt',
  topup: 'amount',
  redeem: 'code',
  link: 'code',
  model: 'name',
};

export function commandStyle(platform: CommandPlatform): CommandStyle {
  return (name, args) => {
    const tail = args === undefined || args === '' ? '' : ` ${args}`;
    if (platform === 'slack') return `/aiport ${name}${tail}`;
    if (platform === 'discord' && tail !== '') return `/${name} ${DISCORD_OPTION[name] ?? 'text'}:${args}`;
    return `/${name}${tail}`;
  };
}

/** What a person can top up with besides a bank transfer, for the "not available" answer. */
export interface TopupAlternatives {
  stars: boolean;
  vouchers: boolean;
}

export interface BankAccount {
  bank: string;
  number: string;
  holder: string;
}

export interface KeyLimitNotice {
  keyName: string;
  keyPrefix: string;
  limit: 'total' | 'day' | 'week' | 'month';
  thresholdPercent: number;
  limitMrp: bigint;
  spentMrp: bigint;
  /** When a period limit starts over; null for the total limit. */
  resetsAt: Date | null;
}

export interface UsageRow {
  model: string;
  costMrp: bigint;
  at: Date;
}

export interface Messages {
  /** Short description for platform command menus (Telegram setMyCommands: 1–256 chars; Discord: 1–100). */
  commandDescription(command: DiscordCommandName): string;
  welcome(p: { name?: string }): string;
  help(): string;
  /** `command` is the name as typed, without the slash. */
  unknownCommand(p: { command: string }): string;

  chooseModel(p: { current: string }): string;
  modelSet(p: { model: string }): string;
  modelUnknown(p: { name: string }): string;
  /** A model's line in the menu: its name and its price for a typical message. */
  modelPrice(p: { name: string; typicalMrp: bigint }): string;
  conversationReset(): string;
  stillAnswering(): string;
  /** Too many messages already wait in this chat (or this one waited too long): send it again later. */
  queueFull(): string;

  balance(p: { balanceMrp: bigint }): string;
  usage(p: { rows: UsageRow[] }): string;

  topupInstructions(p: {
    transferMrp: bigint;
    code: string;
    accounts: BankAccount[];
    expiresAt: Date;
  }): string;
  topupConfirmed(p: { amountMrp: bigint; balanceMrp: bigint }): string;
  /** Bank transfer is not configured: say so, and what else there is. */
  topupUnavailable(p: TopupAlternatives): string;
  /** A Telegram Stars package button. */
  starsButton(p: { stars: number; amountMrp: bigint }): string;
  starsOffer(): string;
  amountMissing(p: { minMrp: bigint }): string;
  amountInvalid(p: { minMrp: bigint; maxMrp: bigint }): string;

  redeemOk(p: { amountMrp: bigint; balanceMrp: bigint }): string;
  redeemInvalid(): string;
  redeemUsed(): string;
  redeemMissing(): string;

  linkCodeIssued(p: { code: string; expiresAt: Date }): string;
  linked(): string;
  linkInvalid(): string;
  /** The code was issued on the same platform: only different platforms (or an email account) link. */
  linkSamePlatform(): string;
  /** Told to the code's owner when someone redeemed it. */
  linkedNotice(p: { platform: string }): string;
  /** Told privately to a key's owner: it used 80% of a spend limit, or reached it (100%). */
  keyLimitNotice(p: KeyLimitNotice): string;

  /** A button pressed by someone it was not made for. */
  notYourButton(): string;
  /** In a group: the answer went to the person's private chat. */
  sentPrivately(): string;
  /** In a group, when the bot cannot write to the person privately yet. */
  openPrivateChat(p: { link: string }): string;

  /** Messages the bot cannot read as text. */
  voiceUnavailable(): string;
  voiceTooLong(p: { maxSeconds: number }): string;
  /** A voice note or audio file larger than can be taken (refused before it is downloaded). */
  voiceTooLarge(p: { maxMb: number }): string;
  /** What a voice note was heard as, shown before its answer. */
  voiceHeard(p: { text: string }): string;
  /** A voice note in which nothing was heard. */
  voiceNothingHeard(): string;
  /** An audio file the speech-to-text model could not read. */
  voiceUnreadable(): string;
  stickerReply(): string;
  locationReply(): string;
  photoWithoutCaption(): string;
  documentUnsupported(): string;
  documentTooLarge(p: { maxKb: number }): string;
  /** A PDF without a text layer (a scan or photos of pages). */
  documentNoText(): string;
  /** A document without a question in its caption. */
  documentNeedsQuestion(): string;

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
  videoRunning(p: { percent?: number }): string;
  /** A media job failed: names the medium. */
  mediaFailed(p: { kind: 'image' | 'video' }): string;
  imageCaption(p: { model: string; costMrp: bigint }): string;
  videoCaption(p: { model: string; costMrp: bigint; seconds: number }): string;

  /** `neededMrp` is the hold: an estimate for the longest possible answer. */
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
