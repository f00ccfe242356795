import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerRole } from '../../bin/workers.js';
import { manualClock } from '../../core/ports/clock.js';
import type { RunningWorkers } from '../../workers/runtime/index.js';
import { type BotsHarness, newTelegramId, startBotsHarness } from './bots-harness.js';

// Monday 2026-11-02, 10:00 WIB.
const clock = manualClock(new Date('2026-11-02T03:00:00Z'));
let h: BotsHarness;
let url: string;
let workers: RunningWorkers;

beforeAll(async () => {
  h = await startBotsHarness({}, { clock });
  url = await h.app.listen();
  workers = await startWorkerRole(h.app.container);
});
afterAll(async () => {
  await workers.close();
  await h.close();
});

/** A chat costing exactly Rp 2.1 (600 input and 60 output tokens of gpt-4o-mini), above its hold. */
async function chats(secret: string, n: number): Promise<number[]> {
  for (let i = 0; i < n; i++) h.openai.enqueue({ reply: { inputTokens: 600, outputTokens: 60 } });
  const statuses = await Promise.all(
    Array.from({ length: n }, async () => {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'halo' }],
          max_tokens: 100,
        }),
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  return statuses;
}

/** Waits (bounded) until the delivery queue has nothing left to do. */
async function deliveriesDone(): Promise<void> {
  const queue = h.app.container.queues.queues.get('delivery')!;
  for (let i = 0; i < 500; i++) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).every((n) => n === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('deliveries did not finish');
}

describe('API key limit notices', () => {
  it('tell the owner once per period and threshold, by email and privately on each linked platform', async () => {
    const { db, core } = h.app.container;
    const email = `owner-${randomInt(1e9)}@example.com`;
    const [account] = await db.sql<{ id: string }[]>`
      INSERT INTO accounts (email, email_verified_at, locale) VALUES (${email}, now(), 'en') RETURNING id`;
    const accountId = account!.id;
    const telegramId = String(newTelegramId());
    const slackUser = `U${randomInt(1e9)}`;
    const discordUser = String(randomInt(1e12, 2 ** 47));
    await db.sql`
      INSERT INTO identities (account_id, platform, external_id) VALUES
        (${accountId}, 'telegram', ${telegramId}),
        (${accountId}, 'slack', ${`T0TEAM:${slackUser}`}),
        (${accountId}, 'discord', ${discordUser})`;
    await core.ledger.credit('topup', {
      accountId,
      amountMrp: 1_000_000n,
      idempotencyKey: `notices:${accountId}`,
    });
    const { key, secret } = await core.apiKeys.create(accountId, {
      name: 'shop',
      periodLimit: { period: 'day', limitMrp: 10_000n },
    });

    const seen = () => {
      const dm = h.discord.directChannels.get(discordUser);
      return {
        email: h.app.container.outbox.filter((m) => m.to === email).map((m) => m.text),
        telegram: h.telegram.transcript(Number(telegramId)).messages.map((m) => m.text ?? ''),
        slack: h.slack.transcript(slackUser).map((m) => m.text),
        discord: dm ? h.discord.channelMessages(dm).map((m) => m.content) : [],
      };
    };
    const expectEach = (patterns: RegExp[]) => {
      for (const [channel, texts] of Object.entries(seen())) {
        expect({ channel, count: texts.length }).toEqual({ channel, count: patterns.length });
        const unmatched = [...texts];
        for (const pattern of patterns) {
          const i = unmatched.findIndex((t) => pattern.test(t));
          expect({ channel, pattern: String(pattern), found: i >= 0 }).toMatchObject({ found: true });
          unmatched.splice(i, 1);
        }
      }
    };
    const used80 = /"shop" \(aip_.*\) has used 80% of its daily spend limit/;
    const reached = /"shop" \(aip_.*\) has reached its daily spend limit of Rp 10/;

    // Four concurrent requests take the key to Rp 8.4 of Rp 10: the 80% notice, once everywhere.
    expect(await chats(secret, 4)).toEqual([200, 200, 200, 200]);
    await deliveriesDone();
    expectEach([used80]);
    expect(seen().telegram[0]).toMatch(/starts over at 03\/11\/2026 00:00 WIB/);

    // Twenty more race for the last Rp 1.6: one is served and fills the limit, the rest are
    // refused (each refusal checks the notices too). The 100% notice goes out once.
    const statuses = await chats(secret, 20);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 402)).toHaveLength(19);
    await deliveriesDone();
    expectEach([used80, reached]);
    expect(seen().email[1]).toMatch(/reached its daily spend limit of Rp 10/);

    // The next day (00:00 WIB) the limit starts over, and so do its notices.
    clock.set(new Date('2026-11-02T18:00:00Z'));
    const nextDay = await chats(secret, 20);
    expect(nextDay.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
    await deliveriesDone();
    expectEach([used80, reached, used80, reached]);

    const rows = await db.sql<{ limit_name: string; period_start: Date; threshold_percent: number }[]>`
      SELECT limit_name, period_start, threshold_percent FROM api_key_notices WHERE key_id = ${key.id}
      ORDER BY period_start, threshold_percent`;
    expect(rows.map((r) => [r.limit_name, r.period_start.toISOString(), r.threshold_percent])).toEqual([
      ['day', '2026-11-01T17:00:00.000Z', 80],
      ['day', '2026-11-01T17:00:00.000Z', 100],
      ['day', '2026-11-02T17:00:00.000Z', 80],
      ['day', '2026-11-02T17:00:00.000Z', 100],
    ]);
    const [spend] = await db.sql<{ period_spent_mrp: bigint }[]>`
      SELECT period_spent_mrp FROM api_keys WHERE id = ${key.id}`;
    expect(spend!.period_spent_mrp).toBe(10_000n);
  });
});
