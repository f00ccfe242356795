import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotsHarness,
  deliverSlack,
  deliverTelegram,
  newTelegramId,
  slackEventBody,
  startBotsHarness,
  TELEGRAM_SECRET,
  telegramTextUpdate,
} from './bots-harness.js';

/**
 * A message sent while the bot is still answering in that chat waits in the chat's short line and
 * is answered next, in order, with the earlier answers as context; past the line's length the
 * sender is asked to wait and send it again. Same behaviour on every platform.
 */
let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

/** Polls `condition` (bounded: 10 s), for states reached by work running in the background. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An upstream answer held back until `open()` (the model still "thinking"). */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Posts a Telegram update without waiting for it to be handled. */
function postTelegram(update: Record<string, unknown>) {
  return h.app.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
    payload: JSON.stringify(update),
  });
}

describe('messages sent while the bot is answering', () => {
  it('Telegram group, two people: queued messages are answered next, in order, replying to each; the fourth waiting one is refused', async () => {
    const budi = { id: newTelegramId(), first_name: 'Budi', language_code: 'id' };
    const sari = { id: newTelegramId(), first_name: 'Sari', language_code: 'en' };
    const group = -newTelegramId();
    const held = gate();
    h.openai.enqueue({ gate: held.promise });
    const before = h.openai.requests.length;
    const asked = (text: string, from = budi) => telegramTextUpdate(from, group, `@aiport_test_bot ${text}`);
    const first = asked('satu');
    await postTelegram(first);
    await until(() => h.openai.requests.length > before, 'the first upstream request');

    const messages = () => h.telegram.transcript(group).messages.map((m) => m.text);
    const waiting = [asked('dua', sari), asked('tiga'), asked('empat', sari)];
    for (const [index, update] of waiting.entries()) {
      await postTelegram(update);
      await until(() => messages().length === index + 1, `notice ${index + 1}`);
    }
    expect(messages()).toEqual([
      'Still answering your previous message. Yours will be answered right after.',
      'Masih menjawab pesan sebelumnya. Pesan Anda akan dijawab setelahnya.',
      'Still answering your previous message. Yours will be answered right after.',
    ]);
    await postTelegram(asked('lima'));
    await until(() => messages().length === 4, 'the refusal');
    expect(messages()[3]).toMatch(/^Sudah ada beberapa pesan yang menunggu dijawab di sini/);
    // Nothing else reached the model while the first answer was held.
    expect(h.openai.requests.length).toBe(before + 1);

    held.open();
    await h.bots.drain();
    expect(messages().slice(4)).toEqual(['Echo: satu', 'Echo: dua', 'Echo: tiga', 'Echo: empat']);
    expect(h.openai.requests.length).toBe(before + 4);
    // Each answer replies to its own message, so both people see which answer is theirs.
    const replyTargets = h.telegram
      .callsOf('sendMessage')
      .filter((c) => c.params['chat_id'] === group && String(c.params['text']).startsWith('Echo:'))
      .map((c) => (c.params['reply_parameters'] as { message_id: number }).message_id);
    const idOf = (u: Record<string, unknown>) => (u['message'] as { message_id: number }).message_id;
    expect(replyTargets).toEqual([idOf(first), ...waiting.map(idOf)]);
    // A queued message is answered with the answers before it as context.
    const last = h.openai.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(last.messages.filter((m) => m.role === 'user')).toHaveLength(4);
    expect(JSON.stringify(last.messages)).toContain('Echo: tiga');
  });

  it('the line is per chat: another chat is answered at once while one waits', async () => {
    const user = { id: newTelegramId(), first_name: 'Satu' };
    const other = { id: newTelegramId(), first_name: 'Dua' };
    const held = gate();
    h.openai.enqueue({ gate: held.promise });
    const before = h.openai.requests.length;
    await postTelegram(telegramTextUpdate(user, user.id, 'lambat'));
    await until(() => h.openai.requests.length > before, 'the held request');
    await postTelegram(telegramTextUpdate(other, other.id, 'cepat'));
    await until(
      () => h.telegram.transcript(other.id).messages.some((m) => m.text === 'Echo: cepat'),
      'the other chat’s answer',
    );
    held.open();
    await h.bots.drain();
    expect(h.telegram.transcript(user.id).messages.map((m) => m.text)).toEqual(['Echo: lambat']);
  });

  it('Slack DM: a second message waits for the first answer and is answered next', async () => {
    const user = `U${randomInt(1, 2 ** 30)}`;
    const channel = `D${randomInt(1, 2 ** 30)}`;
    const ts = () => `${Math.floor(Date.now() / 1000)}.${String(randomInt(0, 999_999)).padStart(6, '0')}`;
    const dm = (text: string) =>
      slackEventBody({ type: 'message', channel_type: 'im', channel, user, text, ts: ts() });
    const post = (body: string) =>
      h.app.app.inject({
        method: 'POST',
        url: '/slack/events',
        headers: h.slackInbound.headers(body, 'application/json'),
        payload: body,
      });
    const held = gate();
    h.openai.enqueue({ gate: held.promise });
    const before = h.openai.requests.length;
    await post(dm('pertama'));
    await until(() => h.openai.requests.length > before, 'the first upstream request');
    await post(dm('kedua'));
    const texts = () => h.slack.transcript(channel).map((m) => m.text);
    await until(() => texts().length === 1, 'the waiting notice');
    expect(texts()).toEqual(['Masih menjawab pesan sebelumnya. Pesan Anda akan dijawab setelahnya.']);
    held.open();
    await h.bots.drain();
    await deliverSlack(h, dm('ketiga'), 'application/json');
    expect(texts().slice(1)).toEqual(['Echo: pertama', 'Echo: kedua', 'Echo: ketiga']);
    const last = h.openai.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(last.messages.filter((m) => m.role === 'user')).toHaveLength(3);
  });

  it('a message nobody waits behind is answered at once (no notice)', async () => {
    const user = { id: newTelegramId(), first_name: 'Sendiri' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, 'halo'));
    await deliverTelegram(h, telegramTextUpdate(user, user.id, 'lagi'));
    expect(h.telegram.transcript(user.id).messages.map((m) => m.text)).toEqual(['Echo: halo', 'Echo: lagi']);
  });
});
