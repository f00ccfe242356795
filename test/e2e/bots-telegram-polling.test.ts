import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BotsHarness, newTelegramId, startBotsHarness, telegramTextUpdate } from './bots-harness.js';

let h: BotsHarness;

beforeAll(async () => {
  // No webhook secret: the bot long-polls getUpdates with @grammyjs/runner.
  h = await startBotsHarness({ TELEGRAM_WEBHOOK_SECRET: '' });
  await h.bots.start();
});
afterAll(() => h.close());

it('long-polls when no webhook secret is set, answers, and refuses the webhook route', async () => {
  expect(h.bots.telegram?.mode).toBe('polling');
  expect(h.telegram.callsOf('deleteWebhook')).toHaveLength(1);
  expect(h.telegram.commands.get('en')?.length).toBeGreaterThan(0);
  const user = { id: newTelegramId(), first_name: 'Polling' };
  h.telegram.pushUpdate(telegramTextUpdate(user, user.id, 'lewat polling'));
  const transcript = h.telegram.transcript(user.id);
  while (transcript.messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  await h.bots.drain();
  expect(transcript.messages.map((m) => m.text)).toEqual(['Echo: lewat polling']);
  const forged = await h.app.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'anything' },
    payload: JSON.stringify(telegramTextUpdate(user, user.id, 'palsu')),
  });
  expect(forged.statusCode).toBe(401);
});
