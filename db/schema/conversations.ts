import { bigserial, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.js';

/** A chat or thread on a platform; its model choice overrides the account's. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    platform: text('platform', { enum: ['telegram', 'slack', 'discord'] }).notNull(),
    /** platform-specific chat key, e.g. the Telegram chat id or `channel:thread_ts` on Slack. */
    chatKey: text('chat_key').notNull(),
    model: text('model'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resetAt: timestamp('reset_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('conversations_chat_key').on(t.platform, t.chatKey)],
);

/** Conversation history (content: purged after 30 days; never written for zero-retention accounts). */
export const conversationMessages = pgTable(
  'conversation_messages',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    role: text('role', { enum: ['user', 'assistant'] }).notNull(),
    content: text('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('conversation_messages_conversation_idx').on(t.conversationId, t.id),
    index('conversation_messages_created_idx').on(t.createdAt),
    index('conversation_messages_account_idx').on(t.accountId),
  ],
);
