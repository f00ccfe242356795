import type { BotPlatform, BotUser } from '../../core/chat/index.js';
import { CoreError, isCoreError } from '../../core/errors.js';
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
  /** Only the person who asked should see it (Discord ephemeral; elsewhere a normal reply). */
  ephemeral?: boolean;
  menu?: BotMenu;
  /** A file to send with the reply (the data export), where the platform can. */
  file?: { filename: string; contentType: string; data: Uint8Array };
}

export interface CommandInput {
  /** Lower-case command name without the slash (`topup`). */
  name: string;
  /** The rest of the message after the command. */
  args: string;
  user: BotUser;
  platform: BotPlatform;
  chatKey: string;
  /** Where a later confirmation (top-up credited) goes. */
  replyTo: ReplyTarget;
}

/** Commands whose work is platform-specific (streaming, uploads): the adapters handle them. */
export const PLATFORM_COMMANDS = new Set(['chat', 'image', 'video']);

export function languageOf(user: BotUser): Language {
  return isLanguage(user.account.locale) ? user.account.locale : 'id';
}

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
          if (model) return { text: t.modelSet({ model: model.name }) };
        }
        const current = await chat.currentModel(user, input.platform, input.chatKey);
        return {
          text: t.chooseModel({ current: current.name }),
          menu: {
            kind: 'model',
            models: chat.models().map((m) => ({ id: m.id, name: m.name })),
            currentId: current.id,
          },
        };
      }
      case 'balance': {
        const balance = await chat.balance(accountId);
        return { text: t.balance({ balanceMrp: balance.availableMrp }), ephemeral: true };
      }
      case 'usage': {
        const rows = await chat.usage(accountId);
        return {
          text: t.usage({ rows: rows.map((r) => ({ model: r.model, costMrp: r.costMrp, at: r.at })) }),
          ephemeral: true,
        };
      }
      case 'topup':
        return { ...(await topup(input, t)), ephemeral: true };
      case 'redeem':
        return { ...(await redeem(input, t)), ephemeral: true };
      case 'link':
        return { ...(await link(input, t)), ephemeral: true };
      case 'lang': {
        const wanted = args.trim().toLowerCase();
        if (isLanguage(wanted)) {
          await chat.setLanguage(accountId, wanted);
          return { text: messagesFor(wanted).languageSet() };
        }
        return { text: t.languageChoose(), menu: { kind: 'lang' } };
      }
      case 'privacy':
        return { text: t.privacy(), ephemeral: true };
      case 'export': {
        if (!services.privacy) return { text: t.privacy(), ephemeral: true };
        const data = await services.privacy.exportData(accountId);
        const json = JSON.stringify(
          data,
          (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
          2,
        );
        return {
          text: t.exportSent(),
          ephemeral: true,
          file: { filename: 'aiport-data.json', contentType: 'application/json', data: Buffer.from(json) },
        };
      }
      case 'delete': {
        // `/delete` asks; the confirm button (or `/delete yes`) erases; `no` cancels.
        const answer = args.trim().toLowerCase();
        if (!services.privacy || answer === '')
          return { text: t.deleteAsk(), ephemeral: true, menu: { kind: 'delete' } };
        if (answer !== 'yes') return { text: t.deleteCancelled(), ephemeral: true };
        await services.privacy.deleteAccount(
          accountId,
          { confirm: DELETE_CONFIRMATION },
          { channel: input.platform },
        );
        return { text: t.deleteDone(), ephemeral: true };
      }
      default:
        return { text: t.unknownCommand({ command: `/${input.name}` }) };
    }
  }

  async function topup(input: CommandInput, t: Messages): Promise<BotReply> {
    const topups = services.topups;
    if (!topups) return { text: t.modelUnavailable({}) };
    const bounds = { minMrp: topups.minMrp, maxMrp: topups.maxMrp };
    const parsed = parseRupiahAmount(input.args, bounds);
    if (!parsed.ok) {
      return {
        text: parsed.reason === 'missing' ? t.amountMissing(bounds) : t.amountInvalid(bounds),
      };
    }
    const request = await topups.create({
      accountId: input.user.account.id,
      amountMrp: parsed.mrp,
      channel: input.platform,
      replyTo: input.replyTo,
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
      await chat.redeemLinkCode(code, input.user.account.id);
      return { text: t.linked() };
    } catch (error) {
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
      const t = messagesFor(languageOf(input.user));
      try {
        // Privacy rights (export, delete) stay available to suspended accounts.
        const open = ['help', 'start', 'privacy', 'lang', 'export', 'delete'];
        if (!open.includes(input.name)) chat.assertActive(input.user);
        return await run(input, t);
      } catch (error) {
        if (error instanceof CoreError) return { text: errorMessage(error, t), ephemeral: true };
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
