import type { BotPlatform, BotUser } from '../../core/chat/index.js';
import { CoreError, isCoreError } from '../../core/errors.js';
import { privateChatTarget } from '../../core/ports/notifier.js';
import { DELETE_CONFIRMATION } from '../../core/privacy/index.js';
import type { ReplyTarget } from '../../db/index.js';
import type { BotServices } from './bot-services.js';
import type { ModelOption } from './choices.js';
import { errorMessage } from './error-message.js';
import { isLanguage, type Language, type Messages, messagesFor } from './i18n/index.js';
import { parseRupiahAmount } from './parse-amount.js';

/** A choice a platform renders its own way (Telegram buttons, Discord select menus, Slack blocks). */
export type BotMenu =
  | { kind: 'model'; models: ModelOption[]; currentId: string }
  | { kind: 'lang' }
  | { kind: 'delete' };

export interface BotReply {
  text: string;
  /**
   * About one person's account (money, data, codes): only that person may read it. Telegram sends
   * it by DM (or, when it cannot, a deep link in the group), Slack as an ephemeral message or DM,
   * Discord as an ephemeral reply. Never posted where others read it.
   */
  private?: boolean;
  menu?: BotMenu;
  /** A file to send with the reply (the data export), where the platform can. */
  file?: { filename: string; contentType: string; data: Uint8Array };
  /** Telegram: offer the Stars packages under the reply (a top-up). */
  offerStars?: boolean;
}

export interface CommandInput {
  /** Lower-case command name without the slash (`topup`). */
  name: string;
  /** The rest of the message after the command. */
  args: string;
  user: BotUser;
  platform: BotPlatform;
  chatKey: string;
}

const PLATFORM_NAMES: Record<BotPlatform, string> = {
  telegram: 'Telegram',
  slack: 'Slack',
  discord: 'Discord',
};

/** Commands whose work is platform-specific (streaming, uploads): the adapters handle them. */
export const PLATFORM_COMMANDS = new Set(['chat', 'image', 'video']);

export function languageOf(user: BotUser): Language {
  return isLanguage(user.account.locale) ? user.account.locale : 'id';
}

/** The person's messages, in their language and their platform's command syntax. */
export function messagesOf(user: BotUser): Messages {
  return messagesFor(languageOf(user), user.platform);
}

/**
 * Where to reach one person privately: their Telegram private chat, their Slack DM with the app,
 * their Discord DM (one policy, in core: key-limit notices use it too). Top-up confirmations and
 * link notices go here, never to the group a command was typed in.
 */
export function privateTarget(platform: BotPlatform, externalId: string): ReplyTarget {
  return privateChatTarget(platform, externalId);
}

/** Commands that reveal or change one person's account: always answered privately. */
export const PRIVATE_COMMANDS = new Set([
  'balance',
  'usage',
  'topup',
  'redeem',
  'link',
  'export',
  'delete',
  'privacy',
]);

/**
 * The account and conversation commands, the same on every platform: each returns the reply to
 * show. Failures the person can act on come back as their localized message, never as a throw.
 */
export function createBotCommands(services: BotServices) {
  const { chat } = services;

  async function run(input: CommandInput, t: Messages): Promise<BotReply> {
    const { user, args } = input;
    const accountId = user.account.id;
    switch (input.name) {
      case 'start':
        return { text: t.welcome({}) };
      case 'help':
        return { text: t.help() };
      case 'new':
        await chat.reset(input.platform, input.chatKey);
        return { text: t.conversationReset() };
      case 'model': {
        if (args.trim() !== '') {
          const model = await chat.chooseModel(user, input.platform, input.chatKey, args);
          return {
            text: model
              ? t.modelSet({ model: model.name })
              : t.modelUnknown({ name: args.trim().slice(0, 64) }),
          };
        }
        const current = await chat.currentModel(user, input.platform, input.chatKey);
        return {
          text: t.chooseModel({ current: current.name }),
          menu: {
            kind: 'model',
            models: chat.models().map((m) => ({
              id: m.id,
              name: t.modelPrice({ name: m.name, typicalMrp: chat.typicalCostMrp(m) }),
            })),
            currentId: current.id,
          },
        };
      }
      case 'balance': {
        const balance = await chat.balance(accountId);
        return { text: t.balance({ balanceMrp: balance.availableMrp }) };
      }
      case 'usage': {
        const rows = await chat.usage(accountId);
        return {
          text: t.usage({ rows: rows.map((r) => ({ model: r.model, costMrp: r.costMrp, at: r.at })) }),
        };
      }
      case 'topup':
        return topup(input, t);
      case 'redeem':
        return redeem(input, t);
      case 'link':
        return link(input, t);
      case 'lang': {
        const wanted = args.trim().toLowerCase();
        if (isLanguage(wanted)) {
          await chat.setLanguage(accountId, wanted);
          return { text: messagesFor(wanted).languageSet() };
        }
        return { text: t.languageChoose(), menu: { kind: 'lang' } };
      }
      case 'privacy':
        return { text: t.privacy() };
      case 'export': {
        if (!services.privacy) return { text: t.privacy() };
        const data = await services.privacy.exportData(accountId);
        const json = JSON.stringify(
          data,
          (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
          2,
        );
        return {
          text: t.exportSent(),
          file: { filename: 'aiport-data.json', contentType: 'application/json', data: Buffer.from(json) },
        };
      }
      case 'delete': {
        // `/delete` asks; the confirm button (or `/delete yes`) erases; `no` cancels.
        const answer = args.trim().toLowerCase();
        if (!services.privacy || answer === '') return { text: t.deleteAsk(), menu: { kind: 'delete' } };
        if (answer !== 'yes') return { text: t.deleteCancelled() };
        await services.privacy.deleteAccount(
          accountId,
          { confirm: DELETE_CONFIRMATION },
          { channel: input.platform },
        );
        return { text: t.deleteDone() };
      }
      default:
        return { text: t.unknownCommand({ command: input.name }) };
    }
  }

  async function topup(input: CommandInput, t: Messages): Promise<BotReply> {
    const topups = services.topups;
    const stars = input.platform === 'telegram' && services.starsOffered === true;
    if (!topups?.bankTransfer) {
      return {
        text: t.topupUnavailable({ stars, vouchers: topups?.redeemVoucher !== undefined }),
        offerStars: stars,
      };
    }
    const bounds = { minMrp: topups.minMrp, maxMrp: topups.maxMrp };
    const parsed = parseRupiahAmount(input.args, bounds);
    if (!parsed.ok) {
      const text = parsed.reason === 'missing' ? t.amountMissing(bounds) : t.amountInvalid(bounds);
      // Without an amount, Telegram also offers its Stars packages.
      if (parsed.reason === 'missing' && stars)
        return { text: `${text}\n\n${t.starsOffer()}`, offerStars: true };
      return { text };
    }
    const request = await topups.create({
      accountId: input.user.account.id,
      amountMrp: parsed.mrp,
      channel: input.platform,
      // The confirmation goes to the person privately, wherever the command was typed.
      replyTo: privateTarget(input.platform, input.user.externalId),
    });
    return {
      text: t.topupInstructions({
        transferMrp: request.transferAmountMrp,
        code: request.code,
        accounts: request.bankAccounts,
        expiresAt: request.expiresAt,
      }),
    };
  }

  async function redeem(input: CommandInput, t: Messages): Promise<BotReply> {
    const code = input.args.trim();
    if (code === '') return { text: t.redeemMissing() };
    const vouchers = services.topups?.redeemVoucher;
    if (!vouchers) return { text: t.redeemInvalid() };
    try {
      const result = await vouchers(input.user.account.id, code);
      return { text: t.redeemOk(result) };
    } catch (error) {
      if (isCoreError(error) && error.code === 'conflict') return { text: t.redeemUsed() };
      if (isCoreError(error) && (error.code === 'not_found' || error.code === 'invalid_request')) {
        return { text: t.redeemInvalid() };
      }
      throw error;
    }
  }

  async function link(input: CommandInput, t: Messages): Promise<BotReply> {
    const code = input.args.trim();
    if (code === '') {
      const issued = await chat.issueLinkCode(input.user.account.id);
      return { text: t.linkCodeIssued(issued) };
    }
    try {
      const result = await chat.redeemLinkCode(code, input.user);
      // The code's owner is told on each of their platforms: a code used by someone else is noticed.
      for (const identity of result.issuerIdentities) {
        const owner = messagesFor(
          isLanguage(result.issuerLocale) ? result.issuerLocale : 'id',
          identity.platform,
        );
        await services
          .tell?.(
            privateTarget(identity.platform, identity.externalId),
            owner.linkedNotice({ platform: PLATFORM_NAMES[input.platform] }),
          )
          .catch(() => undefined);
      }
      return { text: t.linked() };
    } catch (error) {
      if (isCoreError(error) && error.details['reason'] === 'same_platform')
        return { text: t.linkSamePlatform() };
      if (isCoreError(error) && (error.code === 'invalid_request' || error.code === 'conflict')) {
        return { text: t.linkInvalid() };
      }
      throw error;
    }
  }

  return {
    /**
     * Runs an account command. Suspended accounts get their message; CoreErrors their localized
     * text; anything else propagates (the adapter logs it and shows "generation failed").
     */
    async execute(input: CommandInput): Promise<BotReply> {
      const t = messagesOf(input.user);
      const isPrivate = PRIVATE_COMMANDS.has(input.name);
      try {
        // Privacy rights (export, delete) stay available to suspended accounts.
        const open = ['help', 'start', 'privacy', 'lang', 'export', 'delete'];
        if (!open.includes(input.name)) chat.assertActive(input.user);
        const reply = await run(input, t);
        return isPrivate ? { ...reply, private: true } : reply;
      } catch (error) {
        // A failure may name the person's balance: it is theirs alone.
        if (error instanceof CoreError) return { text: errorMessage(error, t), private: true };
        throw error;
      }
    },
  };
}

export type BotCommands = ReturnType<typeof createBotCommands>;

/** Splits `/cmd@bot args` or `cmd args` into a lower-case name and the rest. */
export function parseCommand(text: string): { name: string; args: string } | undefined {
  const match = /^\/?([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() };
}
