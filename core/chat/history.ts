import {
  type AccountRow,
  type ConversationMessageRow,
  type ConversationRow,
  createGroupCommit,
  type Database,
} from '../../db/index.js';
import type { EphemeralStore } from './ephemeral-store.js';
import type { BotPlatform } from './platform.js';

export interface HistoryMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface Conversation {
  id: string;
  platform: BotPlatform;
  chatKey: string;
  /** The model chosen for this chat, overriding the account's. */
  model: string | null;
  resetAt: Date | null;
}

export interface HistoryOptions {
  /** Most messages sent as context. */
  maxMessages: number;
  /** Character budget for the context (about four characters a token), newest messages kept first. */
  maxChars: number;
  /** Zero-retention context lives only in the ephemeral store, this long after the last turn. */
  ephemeralTtlMs: number;
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  maxMessages: 20,
  maxChars: 24_000,
  ephemeralTtlMs: 30 * 60_000,
};

type ConversationHead = Pick<ConversationRow, 'id' | 'platform' | 'chat_key' | 'model' | 'reset_at'>;

function toConversation(row: ConversationHead): Conversation {
  return {
    id: row.id,
    platform: row.platform,
    chatKey: row.chat_key,
    model: row.model,
    resetAt: row.reset_at,
  };
}

/** Keeps the newest messages that fit the budget, in chronological order, starting with a user turn. */
export function boundHistory(newestFirst: HistoryMessage[], options: HistoryOptions): HistoryMessage[] {
  const kept: HistoryMessage[] = [];
  let chars = 0;
  for (const message of newestFirst.slice(0, options.maxMessages)) {
    chars += message.content.length;
    if (chars > options.maxChars) break;
    kept.push(message);
  }
  kept.reverse();
  while (kept[0]?.role === 'assistant') kept.shift();
  return kept;
}

/**
 * Conversations per chat or thread and their history: PostgreSQL for ordinary accounts (purged by
 * retention), the ephemeral store only for zero-retention accounts.
 */
export function createHistory(db: Database, store: EphemeralStore, options: HistoryOptions) {
  const { sql } = db;
  const ephemeralKey = (c: Conversation) => `chat:context:${c.platform}:${c.chatKey}`;
  type MessageRow = Pick<ConversationMessageRow, 'conversation_id' | 'account_id' | 'role' | 'content'>;
  const insertRows = async (rows: MessageRow[]) => {
    await sql`INSERT INTO conversation_messages ${sql(rows)}`;
  };
  // The turns ending together are stored with one INSERT (one round trip instead of one per
  // turn); each turn's rows stay together and in order (ids follow the VALUES order). A batch
  // that fails is retried turn by turn, so one turn's failure (its conversation erased meanwhile)
  // is that turn's alone. A turn is answered only once its rows are written.
  const appends = createGroupCommit<MessageRow[], { error: unknown } | undefined>(async (turns) => {
    try {
      await insertRows(turns.flat());
      return turns.map(() => undefined);
    } catch {
      return Promise.all(
        turns.map((rows) =>
          insertRows(rows).then(
            () => undefined,
            (error: unknown) => ({ error }),
          ),
        ),
      );
    }
  });

  return {
    async open(platform: BotPlatform, chatKey: string): Promise<Conversation> {
      const [found] = await sql<ConversationHead[]>`
        SELECT id, platform, chat_key, model, reset_at FROM conversations
        WHERE platform = ${platform} AND chat_key = ${chatKey}`;
      if (found) return toConversation(found);
      const [row] = await sql<ConversationHead[]>`
        INSERT INTO conversations (platform, chat_key) VALUES (${platform}, ${chatKey})
        ON CONFLICT (platform, chat_key) DO UPDATE SET platform = EXCLUDED.platform
        RETURNING id, platform, chat_key, model, reset_at`;
      return toConversation(row!);
    },

    /** Whether the chat has a conversation already (the bot answered there before). */
    async exists(platform: BotPlatform, chatKey: string): Promise<boolean> {
      const [found] = await sql`
        SELECT 1 FROM conversations WHERE platform = ${platform} AND chat_key = ${chatKey}`;
      return found !== undefined;
    },

    /**
     * What a turn needs before it calls the model, in one round trip (the hot path of every turn):
     * the chat's conversation (created on first use), the person's preferred model and the
     * conversation's bounded history since its last reset (from the ephemeral store instead for
     * zero-retention accounts, whose history is never in PostgreSQL).
     */
    async openForTurn(
      platform: BotPlatform,
      chatKey: string,
      accountId: string,
      zeroRetention: boolean,
    ): Promise<{ conversation: Conversation; preferredModel: string | null; past: HistoryMessage[] }> {
      const [row] = await sql<
        (ConversationHead & Pick<AccountRow, 'preferred_model'> & { recent: HistoryMessage[] | null })[]
      >`
        WITH created AS (
          INSERT INTO conversations (platform, chat_key)
          SELECT ${platform}, ${chatKey}
          WHERE NOT EXISTS (SELECT 1 FROM conversations WHERE platform = ${platform} AND chat_key = ${chatKey})
          ON CONFLICT (platform, chat_key) DO NOTHING
          RETURNING id, platform, chat_key, model, reset_at),
        found AS (
          SELECT id, platform, chat_key, model, reset_at FROM created
          UNION ALL
          SELECT id, platform, chat_key, model, reset_at FROM conversations
          WHERE platform = ${platform} AND chat_key = ${chatKey})
        SELECT found.*,
          (SELECT preferred_model FROM accounts WHERE id = ${accountId}) AS preferred_model,
          CASE WHEN ${zeroRetention}::boolean THEN NULL ELSE (
            SELECT coalesce(json_agg(json_build_object('role', m.role, 'content', m.content) ORDER BY m.id DESC), '[]')
            FROM (
              SELECT id, role, content FROM conversation_messages
              WHERE conversation_id = found.id AND (found.reset_at IS NULL OR created_at > found.reset_at)
              ORDER BY id DESC LIMIT ${options.maxMessages}) m
          ) END AS recent
        FROM found LIMIT 1`;
      if (!row) {
        // Lost a creation race within this statement's snapshot: the row exists now.
        const conversation = await this.open(platform, chatKey);
        const [account] = await sql<Pick<AccountRow, 'preferred_model'>[]>`
          SELECT preferred_model FROM accounts WHERE id = ${accountId}`;
        return {
          conversation,
          preferredModel: account?.preferred_model ?? null,
          past: await this.load(conversation, zeroRetention),
        };
      }
      const conversation = toConversation(row);
      return {
        conversation,
        preferredModel: row.preferred_model,
        past: zeroRetention ? await this.load(conversation, true) : boundHistory(row.recent ?? [], options),
      };
    },

    async setModel(conversation: Conversation, model: string | null): Promise<void> {
      await sql`UPDATE conversations SET model = ${model} WHERE id = ${conversation.id}`;
    },

    /** Earlier messages stop being context; they stay stored until retention purges them. */
    async reset(conversation: Conversation): Promise<void> {
      await sql`UPDATE conversations SET reset_at = now() WHERE id = ${conversation.id}`;
      await store.delete(ephemeralKey(conversation));
    },

    async load(conversation: Conversation, zeroRetention: boolean): Promise<HistoryMessage[]> {
      if (zeroRetention) {
        const items = await store.readList(ephemeralKey(conversation));
        const messages = items.flatMap((item) => {
          try {
            return [JSON.parse(item) as HistoryMessage];
          } catch {
            return [];
          }
        });
        return boundHistory(messages.reverse(), options);
      }
      const rows = await sql<HistoryMessage[]>`
        SELECT role, content FROM conversation_messages
        WHERE conversation_id = ${conversation.id}
          AND (${conversation.resetAt}::timestamptz IS NULL OR created_at > ${conversation.resetAt}::timestamptz)
        ORDER BY id DESC LIMIT ${options.maxMessages}`;
      return boundHistory(rows, options);
    },

    async append(
      conversation: Conversation,
      accountId: string,
      zeroRetention: boolean,
      messages: HistoryMessage[],
    ): Promise<void> {
      if (messages.length === 0) return;
      if (zeroRetention) {
        await store.appendList(
          ephemeralKey(conversation),
          messages.map((m) => JSON.stringify(m)),
          options.maxMessages,
          options.ephemeralTtlMs,
        );
        return;
      }
      const written = await appends.submit(
        messages.map((m) => ({
          conversation_id: conversation.id,
          account_id: accountId,
          role: m.role,
          content: m.content,
        })),
      );
      if (written) throw written.error;
    },
  };
}

export type History = ReturnType<typeof createHistory>;
