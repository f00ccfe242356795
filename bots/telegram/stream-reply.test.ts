import { Api } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../test/fakes/telegram.js';
import { type VirtualScheduler, virtualScheduler } from '../shared/scheduler.js';
import { streamTelegramReply } from './stream-reply.js';

let fake: FakeTelegram;
let api: Api;
let scheduler: VirtualScheduler;
/** Virtual time of every API call, to check throttling without a wall clock. */
let timeline: { method: string; at: number }[];
let nextChat = 1000;

beforeAll(async () => {
  fake = await FakeTelegram.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  scheduler = virtualScheduler(1_000_000);
  timeline = [];
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
  api.config.use((prev, method, payload, signal) => {
    timeline.push({ method, at: scheduler.now() });
    return prev(method, payload, signal);
  });
});

/** The model's output: `text` in chunks, `stepMs` of virtual time apart. */
async function* deltas(text: string, chunk: number, stepMs: number): AsyncIterable<string> {
  for (let i = 0; i < text.length; i += chunk) {
    scheduler.advance(stepMs);
    yield text.slice(i, i + chunk);
  }
}

function answer(paragraphs: number): string {
  return Array.from(
    { length: paragraphs },
    (_, i) => `Paragraf **${i}**: ${'isi jawaban '.repeat(7).trim()}.`,
  ).join('\n\n');
}

function visible(markdown: string): string {
  return markdown.replace(/\*\*/g, '').replace(/\s+/g, '');
}

function gaps(method: string): number[] {
  const times = timeline.filter((t) => t.method === method).map((t) => t.at);
  return times.slice(1).map((t, i) => t - times[i]!);
}

describe('streamTelegramReply', () => {
  it('streams a 9,000-character private answer through one draft, then sends it in parts', async () => {
    const chat = nextChat++;
    const text = answer(92);
    expect(text.length).toBeGreaterThan(9000);
    const result = await streamTelegramReply(api, { chatId: chat, isPrivate: true }, deltas(text, 60, 100), {
      scheduler,
      draftId: 42,
    });
    const transcript = fake.transcript(chat);
    expect(transcript.drafts.length).toBeGreaterThan(5);
    expect(new Set(transcript.drafts.map((d) => d.draftId))).toEqual(new Set([42]));
    for (const gap of gaps('sendMessageDraft')) expect(gap).toBeGreaterThanOrEqual(500);
    expect(transcript.messages).toHaveLength(3);
    expect(result.messageIds).toEqual(transcript.messages.map((m) => m.messageId));
    for (const message of transcript.messages) {
      expect(message.text.length).toBeLessThanOrEqual(4096);
      expect(message.parseMode).toBe('HTML');
      expect(message.entities.some((e) => e.type === 'bold')).toBe(true);
    }
    expect(transcript.messages.map((m) => m.text.replace(/\s+/g, '')).join('')).toBe(visible(text));
    expect(transcript.actions[0]).toBe('typing');
    expect(result.text).toBe(text);
  });

  it('streams in a group by one message and throttled edits, then splits at 4096', async () => {
    const chat = -nextChat++;
    const text = answer(92);
    await streamTelegramReply(
      api,
      { chatId: chat, isPrivate: false, replyToMessageId: 7 },
      deltas(text, 40, 150),
      {
        scheduler,
      },
    );
    const transcript = fake.transcript(chat);
    expect(transcript.drafts).toHaveLength(0);
    for (const gap of gaps('editMessageText')) expect(gap).toBeGreaterThanOrEqual(1000);
    const [first, ...rest] = transcript.messages;
    expect(first!.versions.length).toBeGreaterThan(3);
    expect(first!.text.length).toBeLessThanOrEqual(4096);
    expect(rest).toHaveLength(2);
    expect(transcript.messages.map((m) => m.text.replace(/\s+/g, '')).join('')).toBe(visible(text));
    expect(
      fake.callsOf('sendMessage').find((c) => c.params['chat_id'] === chat)?.params['reply_parameters'],
    ).toEqual({
      message_id: 7,
      allow_sending_without_reply: true,
    });
  });

  it('honours retry_after: previews pause, and a final send waits it out', async () => {
    const chat = -nextChat++;
    fake.injectFloodWait('editMessageText', 5);
    const text = answer(12);
    await streamTelegramReply(api, { chatId: chat, isPrivate: false }, deltas(text, 20, 200), { scheduler });
    const edits = timeline.filter((t) => t.method === 'editMessageText').map((t) => t.at);
    expect(edits.length).toBeGreaterThan(2);
    expect(edits[1]! - edits[0]!).toBeGreaterThanOrEqual(5000);
    expect(fake.transcript(chat).messages[0]!.text.replace(/\s+/g, '')).toBe(visible(text));

    const privateChat = nextChat++;
    fake.injectFloodWait('sendMessage', 3);
    await streamTelegramReply(
      api,
      { chatId: privateChat, isPrivate: true },
      deltas('Jawaban singkat.', 5, 10),
      {
        scheduler,
      },
    );
    expect(scheduler.sleeps).toContain(3000);
    expect(fake.transcript(privateChat).messages.map((m) => m.text)).toEqual(['Jawaban singkat.']);
  });

  it('falls back to plain text when Telegram cannot parse the entities', async () => {
    const chat = nextChat++;
    fake.injectError('sendMessage', {
      errorCode: 400,
      description: 'Bad Request: can\'t parse entities: unsupported start tag "x" at byte offset 0',
    });
    await streamTelegramReply(
      api,
      { chatId: chat, isPrivate: true },
      deltas('**Halo** [situs](https://a.id)', 50, 10),
      {
        scheduler,
      },
    );
    const [message] = fake.transcript(chat).messages;
    expect(message?.text).toBe('Halo situs (https://a.id)');
    expect(message?.parseMode).toBeUndefined();
  });

  it('persists the partial answer when generation fails, then rethrows', async () => {
    const chat = -nextChat++;
    async function* failing(): AsyncIterable<string> {
      yield 'Sebagian jawaban';
      scheduler.advance(2000);
      throw new Error('upstream cut');
    }
    await expect(
      streamTelegramReply(api, { chatId: chat, isPrivate: false }, failing(), { scheduler }),
    ).rejects.toThrow('upstream cut');
    expect(fake.transcript(chat).messages.map((m) => m.text)).toEqual(['Sebagian jawaban']);
  });

  it('sends nothing for an empty answer', async () => {
    const chat = nextChat++;
    const result = await streamTelegramReply(api, { chatId: chat, isPrivate: true }, deltas('', 1, 1), {
      scheduler,
    });
    expect(result.messageIds).toEqual([]);
    expect(fake.transcript(chat).messages).toHaveLength(0);
  });
});

describe('streamTelegramReply when previews fail', () => {
  it('keeps going without drafts when sendMessageDraft is refused', async () => {
    const chat = nextChat++;
    fake.injectError('sendMessageDraft', {
      errorCode: 400,
      description: 'Bad Request: method is not available',
    });
    await streamTelegramReply(api, { chatId: chat, isPrivate: true }, deltas(answer(5), 20, 300), {
      scheduler,
    });
    expect(timeline.filter((t) => t.method === 'sendMessageDraft')).toHaveLength(1);
    expect(fake.transcript(chat).messages).toHaveLength(1);
  });

  it('sends a new message when the group preview can no longer be edited', async () => {
    const chat = -nextChat++;
    fake.injectError(
      'editMessageText',
      { errorCode: 400, description: 'Bad Request: message to edit not found' },
      2,
    );
    const text = answer(6);
    await streamTelegramReply(api, { chatId: chat, isPrivate: false }, deltas(text, 20, 300), { scheduler });
    const messages = fake.transcript(chat).messages;
    expect(messages).toHaveLength(2);
    expect(messages[1]!.text.replace(/\s+/g, '')).toBe(text.replace(/\*\*/g, '').replace(/\s+/g, ''));
  });
});

/**
 * A clock whose sleeps end only when `advance` passes them (the virtual scheduler ends every sleep
 * at once): how a real timer behaves while the answer streams.
 */
function pacedScheduler(start = 0) {
  let current = start;
  const sleepers: { until: number; wake: () => void }[] = [];
  return {
    now: () => current,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ until: current + Math.max(0, ms), wake });
      }),
    advance(ms: number) {
      current += ms;
      for (const sleeper of sleepers.filter((s) => s.until <= current)) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.wake();
      }
    },
  };
}

describe('streamTelegramReply typing indicator', () => {
  it('sends no typing when the first text is visible within typingDelayMs, and calls nothing before it', async () => {
    const chat = nextChat++;
    const paced = pacedScheduler(1_000_000);
    async function* quick(): AsyncIterable<string> {
      for (const part of ['Jawaban ', 'cepat.']) {
        paced.advance(50);
        yield part;
      }
    }
    await streamTelegramReply(api, { chatId: chat, isPrivate: true }, quick(), {
      scheduler: paced,
      typingDelayMs: 1000,
    });
    expect(timeline.map((t) => t.method)).toEqual(['sendMessageDraft', 'sendMessage']);
    expect(fake.transcript(chat).actions).toEqual([]);
  });

  it('shows typing when the first text takes longer, before the preview and never after the final message', async () => {
    const chat = -nextChat++;
    const paced = pacedScheduler(1_000_000);
    async function* slow(): AsyncIterable<string> {
      paced.advance(3000);
      // Let the typing timer's call go out first, as a real timer firing during the wait would.
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield 'Jawaban lambat.';
    }
    await streamTelegramReply(api, { chatId: chat, isPrivate: false }, slow(), {
      scheduler: paced,
      typingDelayMs: 1000,
    });
    expect(timeline.map((t) => t.method)).toEqual(['sendChatAction', 'sendMessage']);
    expect(fake.transcript(chat).actions).toEqual(['typing']);
  });
});
