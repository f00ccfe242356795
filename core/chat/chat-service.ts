import type { Database } from '../../db/index.js';
import type { Account, Accounts } from '../accounts/index.js';
import type { Catalog, ChatModel } from '../catalog/index.js';
import { CoreError } from '../errors.js';
import { type Balance, type Ledger, tokenCostMrp } from '../ledger/index.js';
import type { Clock } from '../ports/clock.js';
import type { ChatMessage } from '../providers/index.js';
import type { ChatGateway } from '../routing/index.js';
import type { EphemeralStore } from './ephemeral-store.js';
import { type AbuseLimits, createGuards, DEFAULT_ABUSE_LIMITS, type Release } from './guards.js';
import { createHistory, DEFAULT_HISTORY_OPTIONS, type HistoryOptions } from './history.js';
import { createLinkCodes } from './link-codes.js';
import { botChatModels, findBotModel, resolveBotModel } from './models.js';
import type { BotPlatform } from './platform.js';

export interface ChatServiceDeps {
  db: Database;
  clock: Clock;
  catalog: Catalog;
  ledger: Ledger;
  accounts: Accounts;
  store: EphemeralStore;
  /**
   * The chat gateway (the same router, hold/settle and job row as the REST API, with the platform
   * as the job's channel); without it every turn answers `upstream_unavailable`.
   */
  gateway?: Pick<ChatGateway, 'runChat'>;
}

export interface ChatServiceOptions {
  /** ALLOWED_BOT_MODELS; empty offers every served chat model. */
  allowedModels?: readonly string[];
  limits?: Partial<AbuseLimits>;
  history?: Partial<HistoryOptions>;
  /** The system prompt of bot conversations. */
  system?: string;
  /** Longest answer a bot turn asks for (default 4096 tokens), which also bounds its hold. */
  maxOutputTokens?: number;
}

/** A person on a platform, resolved to their account for this update. */
export interface BotUser {
  platform: BotPlatform;
  externalId: string;
  account: Account;
  /** The account was created by this update (first contact). */
  created: boolean;
}

/** What the ledger and the job row say about a finished turn; bots show these figures, never estimates. */
export interface TurnResult {
  jobId: string;
  costMrp: bigint;
  /** The upstream refused for safety: nothing was charged. */
  refused: boolean;
  model: string;
  text: string;
}

export interface StartedTurn {
  status: 'started';
  model: ChatModel;
  /** The answer as it is produced; iterate it to the end (the chat's lock is released then). */
  deltas: AsyncIterable<string>;
  /** Settles once `deltas` is done; rejects with what `deltas` threw. */
  result: Promise<TurnResult>;
}

/**
 * `started` once the chat is free (at once, or after waiting in the chat's line); `full` when too
 * many messages already wait in this chat, or this one waited too long: the bots ask to wait and
 * send it again.
 */
export type TurnStart = StartedTurn | { status: 'full' };

export interface UsageItem {
  model: string;
  costMrp: bigint;
  at: Date;
}

/** The size of a typical bot turn, for the prices in the model menu. */
const TYPICAL_TURN = { input: 1000, output: 500 };

const DEFAULT_SYSTEM =
  'You are AIport, a helpful assistant in a chat app. Answer in the language the user writes in. ' +
  'Be concise; use Markdown sparingly.';

/**
 * The conversation core every bot uses: identity to account, per-chat history and model, guarded
 * chat turns through the gateway, and the account commands (balance, usage, language, link).
 * Platform-neutral: the bots translate updates in and render results out.
 */
export function createChatService(deps: ChatServiceDeps, options: ChatServiceOptions = {}) {
  const { db, clock, catalog, ledger, accounts, store } = deps;
  const { sql } = db;
  const limits = { ...DEFAULT_ABUSE_LIMITS, ...options.limits };
  const guards = createGuards(store, limits, clock);
  const history = createHistory(db, store, { ...DEFAULT_HISTORY_OPTIONS, ...options.history });
  const linkCodes = createLinkCodes(db, clock);
  const allowed = options.allowedModels ?? [];
  const system = options.system ?? DEFAULT_SYSTEM;
  const maxOutputTokens = options.maxOutputTokens ?? 4096;

  const offered = () => botChatModels(catalog, allowed);

  async function preferredModel(accountId: string): Promise<string | null> {
    const [row] = await sql<{ preferred_model: string | null }[]>`
      SELECT preferred_model FROM accounts WHERE id = ${accountId}`;
    return row?.preferred_model ?? null;
  }

  return {
    firstDelivery: guards.firstDelivery,

    /** The account behind a platform user, created (with the welcome credit) on first contact. */
    async identify(platform: BotPlatform, externalId: string, displayName?: string): Promise<BotUser> {
      const { account, created } = await accounts.resolveIdentity(platform, externalId, displayName);
      return { platform, externalId, account, created };
    },

    /** Refuses suspended and closed accounts with a CoreError the bots localize. */
    assertActive(user: BotUser): void {
      accounts.assertActive(user.account);
    },

    /**
     * Before a file sent with a message (a document, a photo, a voice note) is downloaded and read:
     * refuses inactive accounts, a person sending files faster than the abuse limits allow, and an
     * account with nothing available to spend, so nobody makes the bots fetch and parse files
     * that will not be answered. The turn that follows is checked again as usual.
     */
    async admitFile(user: BotUser): Promise<void> {
      accounts.assertActive(user.account);
      await guards.countFile(user.platform, user.externalId);
      const { availableMrp } = await ledger.balance(user.account.id);
      if (availableMrp <= 0n) {
        throw new CoreError('insufficient_balance', 'Nothing available to spend', {
          details: { available_mrp: availableMrp },
        });
      }
    },

    async setLanguage(accountId: string, language: 'id' | 'en'): Promise<void> {
      await sql`UPDATE accounts SET locale = ${language}, updated_at = now() WHERE id = ${accountId}`;
    },

    models: offered,

    /**
     * What a typical bot message costs on a model (shown in the model menu): a 1,000-token prompt
     * with its history and a 500-token answer, at the catalog's price.
     */
    typicalCostMrp: (model: ChatModel): bigint =>
      tokenCostMrp({ inputTokens: TYPICAL_TURN.input, outputTokens: TYPICAL_TURN.output }, model.price),

    async currentModel(user: BotUser, platform: BotPlatform, chatKey: string): Promise<ChatModel> {
      const conversation = await history.open(platform, chatKey);
      return resolveBotModel(offered(), catalog.defaults.chat, {
        conversation: conversation.model,
        account: await preferredModel(user.account.id),
      });
    },

    /**
     * Sets the model for this chat and as the person's default for new chats; undefined when the
     * name is not an offered model.
     */
    async chooseModel(
      user: BotUser,
      platform: BotPlatform,
      chatKey: string,
      wanted: string,
    ): Promise<ChatModel | undefined> {
      const model = findBotModel(offered(), wanted);
      if (!model) return undefined;
      const conversation = await history.open(platform, chatKey);
      await history.setModel(conversation, model.id);
      await sql`UPDATE accounts SET preferred_model = ${model.id}, updated_at = now() WHERE id = ${user.account.id}`;
      return model;
    },

    /** Whether the bot has talked in this chat or thread (a follow-up there needs no mention). */
    hasConversation: (platform: BotPlatform, chatKey: string): Promise<boolean> =>
      history.exists(platform, chatKey),

    async reset(platform: BotPlatform, chatKey: string): Promise<void> {
      await history.reset(await history.open(platform, chatKey));
    },

    balance: (accountId: string): Promise<Balance> => ledger.balance(accountId),

    /** The latest billed requests from the job rows (every channel), newest first. */
    async usage(accountId: string, limit = 10): Promise<UsageItem[]> {
      const rows = await sql<{ model: string; cost_mrp: bigint; created_at: Date }[]>`
        SELECT model, cost_mrp, created_at FROM jobs
        WHERE account_id = ${accountId} AND cost_mrp IS NOT NULL
        ORDER BY created_at DESC LIMIT ${limit}`;
      return rows.map((r) => ({ model: r.model, costMrp: r.cost_mrp, at: r.created_at }));
    },

    issueLinkCode: (accountId: string) => linkCodes.issue(accountId),
    /** Links the code owner's account with this person's (see link-codes for the policy). */
    redeemLinkCode: (code: string, user: BotUser) =>
      linkCodes.redeem(code, { accountId: user.account.id, platform: user.platform }),

    /**
     * Starts a chat turn in a chat or thread: refuses inactive accounts and abusive rates (CoreError).
     * While the chat's previous answer is still being produced the message waits in the chat's
     * short line (`onQueued` is told, e.g. to say so) and starts when its turn comes; a full line
     * answers `full`. The answer streams through the gateway with the chat's bounded history, read
     * when the turn starts (so it includes the answers before it), as context.
     */
    async startTurn(input: {
      user: BotUser;
      chatKey: string;
      text: string;
      /** Photos sent with the message (a vision question), base64; history keeps the text only. */
      images?: { mediaType: string; data: string }[];
      /** Called once when the message has to wait; its failure does not stop the wait. */
      onQueued?: (position: number) => Promise<unknown> | undefined;
    }): Promise<TurnStart> {
      const { user, chatKey, text } = input;
      const { platform } = user;
      accounts.assertActive(user.account);
      if (text.trim() === '') throw new CoreError('invalid_request', 'Empty message');
      const admission = await guards.admit(platform, user.externalId, chatKey);
      if (admission.outcome === 'full') return { status: 'full' };
      let release: Release;
      if (admission.outcome === 'queued') {
        await Promise.resolve(input.onQueued?.(admission.position)).catch(() => undefined);
        const claimed = await admission.turn;
        if (!claimed) return { status: 'full' };
        release = claimed;
      } else {
        release = admission.release;
      }
      try {
        const account = user.account;
        const {
          conversation,
          preferredModel: preferred,
          past,
        } = await history.openForTurn(platform, chatKey, account.id, account.zeroRetention);
        const model = resolveBotModel(offered(), catalog.defaults.chat, {
          conversation: conversation.model,
          account: preferred,
        });
        const messages: ChatMessage[] = [...past, { role: 'user' as const, content: text }].map((m) => ({
          role: m.role,
          content: [{ type: 'text' as const, text: m.content }],
        }));
        for (const image of input.images ?? []) {
          messages.at(-1)!.content.push({ type: 'image', mediaType: image.mediaType, data: image.data });
        }
        const gateway = deps.gateway;
        let settle!: (value: TurnResult) => void;
        let fail!: (error: unknown) => void;
        const result = new Promise<TurnResult>((resolve, reject) => {
          settle = resolve;
          fail = reject;
        });
        // The caller may only iterate; a rejection nobody awaits must not crash the process.
        result.catch(() => undefined);

        async function* deltas(): AsyncGenerator<string> {
          let answer = '';
          try {
            if (!gateway) throw new CoreError('upstream_unavailable', 'Chat is not available yet');
            const run = gateway.runChat({
              accountId: account.id,
              channel: platform,
              modelId: model.id,
              request: {
                system,
                messages,
                maxOutputTokens: Math.min(maxOutputTokens, model.maxOutputTokens),
              },
            });
            run.result.catch(() => undefined);
            // Failures before the first part (balance, availability, rate) throw here, charging nothing.
            for await (const part of run) {
              if (part.type !== 'text-delta' || part.text === '') continue;
              answer += part.text;
              yield part.text;
            }
            const finished = await run.result;
            const outcome = {
              jobId: finished.jobId,
              costMrp: finished.costMrp,
              refused: finished.refused || finished.status === 'refused',
            };
            if (!outcome.refused && answer.trim() !== '') {
              await history.append(conversation, account.id, account.zeroRetention, [
                { role: 'user', content: text },
                { role: 'assistant', content: answer },
              ]);
            }
            settle({ ...outcome, model: model.id, text: answer });
          } catch (error) {
            fail(error);
            throw error;
          } finally {
            await release();
          }
        }
        return { status: 'started', model, deltas: deltas(), result };
      } catch (error) {
        await release();
        throw error;
      }
    },
  };
}

export type ChatService = ReturnType<typeof createChatService>;
