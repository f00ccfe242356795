import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisEphemeralStore } from '../../bin/infra/redis-ephemeral-store.js';
import { TEST_REDIS_URL } from '../../test/helpers/env.js';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/test-database.js';
import { createHistory, DEFAULT_HISTORY_OPTIONS, type History } from './history.js';

/**
 * Conversation history on PostgreSQL (history.ts): the turns that end together are written with
 * one INSERT, yet each turn reads back its own messages in order, and a turn whose conversation
 * is gone fails alone.
 */
let db: TestDatabase;
let history: History;

const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });

beforeAll(async () => {
  db = await createTestDatabase();
  history = createHistory(
    db,
    redisEphemeralStore(redis, `test-history-${randomUUID()}:`),
    DEFAULT_HISTORY_OPTIONS,
  );
});
afterAll(async () => {
  redis.disconnect();
  await db?.drop();
});

async function account(): Promise<string> {
  const [row] = await db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
  return row!.id;
}

describe('history of concurrent turns', () => {
  it('keeps each turn in its own conversation and in order, with its model and context on the next turn', async () => {
    const accountId = await account();
    const chats = Array.from({ length: 12 }, (_, i) => `chat-${i}`);
    const opened = await Promise.all(
      chats.map((chat) => history.openForTurn('telegram', chat, accountId, false)),
    );
    expect(opened.every((o) => o.past.length === 0)).toBe(true);
    await Promise.all(
      opened.map(({ conversation }, i) =>
        history.append(conversation, accountId, false, [
          { role: 'user', content: `q${i}` },
          { role: 'assistant', content: `a${i}` },
        ]),
      ),
    );
    await Promise.all(
      opened.map(({ conversation }, i) =>
        history.append(conversation, accountId, false, [
          { role: 'user', content: `q${i}'` },
          { role: 'assistant', content: `a${i}'` },
        ]),
      ),
    );
    for (const [i, chat] of chats.entries()) {
      const { past } = await history.openForTurn('telegram', chat, accountId, false);
      expect(past).toEqual([
        { role: 'user', content: `q${i}` },
        { role: 'assistant', content: `a${i}` },
        { role: 'user', content: `q${i}'` },
        { role: 'assistant', content: `a${i}'` },
      ]);
    }
  });

  it('fails only the turn whose conversation was erased meanwhile', async () => {
    const accountId = await account();
    const kept = await history.openForTurn('telegram', 'kept', accountId, false);
    const erased = await history.openForTurn('telegram', 'erased', accountId, false);
    await db.sql`DELETE FROM conversations WHERE id = ${erased.conversation.id}`;
    const [keptWrite, erasedWrite] = await Promise.allSettled([
      history.append(kept.conversation, accountId, false, [{ role: 'user', content: 'tetap' }]),
      history.append(erased.conversation, accountId, false, [{ role: 'user', content: 'hilang' }]),
    ]);
    expect(keptWrite.status).toBe('fulfilled');
    expect(erasedWrite.status).toBe('rejected');
    const { past } = await history.openForTurn('telegram', 'kept', accountId, false);
    expect(past).toEqual([{ role: 'user', content: 'tetap' }]);
  });

  it('starts the context after a reset', async () => {
    const accountId = await account();
    const { conversation } = await history.openForTurn('telegram', 'reset', accountId, false);
    await history.append(conversation, accountId, false, [
      { role: 'user', content: 'lama' },
      { role: 'assistant', content: 'jawaban lama' },
    ]);
    await history.reset(conversation);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await history.append(conversation, accountId, false, [
      { role: 'user', content: 'baru' },
      { role: 'assistant', content: 'jawaban baru' },
    ]);
    const { past } = await history.openForTurn('telegram', 'reset', accountId, false);
    expect(past.map((m) => m.content)).toEqual(['baru', 'jawaban baru']);
  });
});
