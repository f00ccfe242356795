import { API } from '@discordjs/core/http-only';
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../test/fakes/discord.js';
import { deferredResponse, deliverDiscordReply, EPHEMERAL_FLAG, replaceDiscordReply } from './deliver.js';

let fake: FakeDiscord;
let api: API;
let counter = 0;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  api = new API(new REST({ api: fake.apiBase, timeout: 5000 }).setToken(fake.botToken));
});
afterAll(async () => {
  await fake.close();
});

/** An interaction the app has answered with a deferred response in its HTTP reply. */
function deferred(ephemeral = false): { applicationId: string; interactionToken: string } {
  const interactionToken = `token-${++counter}`;
  fake.recordInitialResponse(interactionToken, deferredResponse(ephemeral));
  return { applicationId: fake.applicationId, interactionToken };
}

describe('deliverDiscordReply', () => {
  it('edits @original and sends follow-ups for an answer beyond 2000 characters', async () => {
    const target = deferred(true);
    const text = Array.from({ length: 50 }, (_, i) => `Paragraf ${i}: ${'isi '.repeat(20).trim()}.`).join(
      '\n\n',
    );
    const result = await deliverDiscordReply(api, { ...target, ephemeral: true }, { text });
    const transcript = fake.transcript(target.interactionToken);
    expect(transcript.original?.flags).toBe(EPHEMERAL_FLAG);
    expect(transcript.followUps.length).toBeGreaterThanOrEqual(2);
    for (const message of [transcript.original!, ...transcript.followUps]) {
      expect(message.content.length).toBeLessThanOrEqual(2000);
    }
    for (const followUp of transcript.followUps) expect(followUp.flags).toBe(EPHEMERAL_FLAG);
    const shown = [transcript.original!, ...transcript.followUps].map((m) => m.content).join('');
    expect(shown.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    expect(result.messageIds).toEqual([transcript.original!.id, ...transcript.followUps.map((f) => f.id)]);
  });

  it('delivers an image as a multipart attachment and skips files over the size limit', async () => {
    const target = deferred();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const result = await deliverDiscordReply(
      api,
      { ...target, attachmentSizeLimit: 64 },
      {
        text: 'gpt-image-1 · biaya Rp 700',
        files: [
          { name: 'gambar.png', data: png, contentType: 'image/png', description: 'kucing' },
          { name: 'besar.png', data: Buffer.alloc(65) },
        ],
      },
    );
    const original = fake.transcript(target.interactionToken).original!;
    expect(original.content).toBe('gpt-image-1 · biaya Rp 700');
    expect(original.attachments.map((a) => [a.filename, a.contentType, [...a.bytes]])).toEqual([
      ['gambar.png', 'image/png', [...png]],
    ]);
    expect(result.skippedFiles).toEqual(['besar.png']);
    const patch = fake.calls.find((c) => c.method === 'PATCH' && c.route.includes(target.interactionToken));
    expect(patch?.body?.['attachments']).toEqual([{ id: 0, filename: 'gambar.png', description: 'kucing' }]);
  });

  it('spreads more than ten images over follow-ups', async () => {
    const target = deferred();
    const files = Array.from({ length: 12 }, (_, i) => ({ name: `g${i}.png`, data: Buffer.from([i]) }));
    await deliverDiscordReply(api, target, { text: 'Hasil', files });
    const transcript = fake.transcript(target.interactionToken);
    expect(transcript.original?.attachments).toHaveLength(10);
    expect(transcript.followUps[0]?.attachments.map((a) => a.filename)).toEqual(['g10.png', 'g11.png']);
  });

  it('sends nothing when there is neither text nor an uploadable file', async () => {
    const target = deferred();
    const result = await deliverDiscordReply(
      api,
      { ...target, attachmentSizeLimit: 1 },
      { text: '  ', files: [{ name: 'x.png', data: Buffer.alloc(2) }] },
    );
    expect(result).toEqual({ messageIds: [], skippedFiles: ['x.png'] });
    expect(fake.transcript(target.interactionToken).original?.versions).toEqual(['']);
  });

  it('retries an edit after a 429 with retry_after', async () => {
    const target = deferred();
    fake.injectRateLimit(`PATCH /webhooks/${fake.applicationId}/${target.interactionToken}`, {
      retryAfter: 0.01,
    });
    await replaceDiscordReply(api, target, 'Saldo tidak cukup.');
    expect(fake.transcript(target.interactionToken).original?.content).toBe('Saldo tidak cukup.');
    const statuses = fake.calls.filter((c) => c.route.includes(target.interactionToken)).map((c) => c.status);
    expect(statuses).toEqual([429, 200]);
  });
});
