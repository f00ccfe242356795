import { API } from '@discordjs/core/http-only';
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../test/fakes/discord.js';
import { virtualScheduler } from '../shared/scheduler.js';
import { deferredResponse } from './deliver.js';
import { streamDiscordReply } from './stream-reply.js';

let fake: FakeDiscord;
let api: API;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  api = new API(new REST({ api: fake.apiBase, timeout: 5000 }).setToken(fake.botToken));
});
afterAll(async () => {
  await fake.close();
});

describe('streamDiscordReply', () => {
  it('edits @original at a throttled pace, then delivers every part', async () => {
    const scheduler = virtualScheduler();
    const token = 'stream-token';
    fake.recordInitialResponse(token, deferredResponse());
    const text = Array.from({ length: 40 }, (_, i) => `Bagian ${i}: ${'kata '.repeat(20).trim()}.`).join(
      '\n\n',
    );
    async function* deltas(): AsyncIterable<string> {
      for (let i = 0; i < text.length; i += 50) {
        scheduler.advance(100);
        yield text.slice(i, i + 50);
      }
    }
    const durationMs = Math.ceil(text.length / 50) * 100;
    await streamDiscordReply(api, { applicationId: fake.applicationId, interactionToken: token }, deltas(), {
      scheduler,
    });
    const transcript = fake.transcript(token);
    const edits = transcript.original!.versions.length - 1;
    expect(edits).toBeGreaterThan(2);
    expect(edits).toBeLessThanOrEqual(durationMs / 1500 + 2);
    const all = [transcript.original!, ...transcript.followUps].map((m) => m.content);
    for (const content of all) expect(content.length).toBeLessThanOrEqual(2000);
    expect(all.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });
});
