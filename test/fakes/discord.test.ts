import { createServer } from 'node:http';
import { API } from '@discordjs/core/http-only';
import { DiscordAPIError, REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordVerifier } from '../../bots/discord/verify-signature.js';
import { DiscordInbound, discordInteraction, FakeDiscord } from './discord.js';

let fake: FakeDiscord;
let api: API;
let counter = 0;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const rest = new REST({ api: fake.apiBase, retries: 0, timeout: 5000 }).setToken(fake.botToken);
  api = new API(rest);
});
afterAll(async () => {
  await fake.close();
});

function interaction(): { id: string; token: string } {
  counter += 1;
  return { id: String(1200000000000000000n + BigInt(counter)), token: `tok-${counter}` };
}

describe('fake Discord REST API', () => {
  it('records a deferred reply finished by editing @original', async () => {
    const { id, token } = interaction();
    await api.interactions.defer(id, token);
    await api.interactions.editReply(fake.applicationId, token, { content: 'Jawaban' });
    const transcript = fake.transcript(token);
    expect(transcript.responseType).toBe(5);
    expect(transcript.original?.content).toBe('Jawaban');
    expect(transcript.original?.versions).toEqual(['', 'Jawaban']);
    await expect(api.interactions.defer(id, token)).rejects.toMatchObject({ code: 40060 });
    await expect(
      api.interactions.editReply(fake.applicationId, token, { content: '' }),
    ).rejects.toMatchObject({
      code: 50006,
    });
  });

  it('refuses content over 2000 characters with Invalid Form Body', async () => {
    const { id, token } = interaction();
    await api.interactions.reply(id, token, { content: 'ok' });
    const error = await api.interactions
      .followUp(fake.applicationId, token, { content: 'x'.repeat(2001) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect((error as DiscordAPIError).code).toBe(50035);
  });

  it('receives multipart follow-ups with payload_json and files[n], within the size limit', async () => {
    const { id, token } = interaction();
    await api.interactions.defer(id, token, { flags: 64 });
    fake.setAttachmentLimit(token, 8);
    await api.interactions.followUp(fake.applicationId, token, {
      content: 'Gambar',
      flags: 64,
      files: [{ name: 'a.png', data: Buffer.from([1, 2, 3]), contentType: 'image/png' }],
    });
    const [followUp] = fake.transcript(token).followUps;
    expect(followUp?.flags).toBe(64);
    expect(followUp?.attachments.map((a) => [a.filename, [...a.bytes]])).toEqual([['a.png', [1, 2, 3]]]);
    const tooBig = await api.interactions
      .followUp(fake.applicationId, token, { files: [{ name: 'b.png', data: Buffer.alloc(9) }] })
      .catch((e: unknown) => e);
    expect((tooBig as DiscordAPIError).status).toBe(413);
  });

  it('answers 429 with retry_after and the REST client retries', async () => {
    const { id, token } = interaction();
    await api.interactions.defer(id, token);
    fake.injectRateLimit('PATCH /webhooks', { retryAfter: 0.01 });
    await api.interactions.editReply(fake.applicationId, token, { content: 'setelah jeda' });
    const patches = fake.calls.filter((c) => c.method === 'PATCH' && c.route.includes(token));
    expect(patches.map((c) => c.status)).toEqual([429, 200]);
    expect(fake.transcript(token).original?.content).toBe('setelah jeda');
  });

  it('bulk-overwrites global and guild commands, validating names', async () => {
    await api.applicationCommands.bulkOverwriteGlobalCommands(fake.applicationId, [
      { name: 'chat', description: 'Ngobrol' },
    ]);
    await api.applicationCommands.bulkOverwriteGuildCommands(fake.applicationId, '42', [
      { name: 'help', description: 'Bantuan' },
    ]);
    expect(fake.commands.get('global')?.map((c) => c['name'])).toEqual(['chat']);
    expect(fake.commands.get('guild:42')?.map((c) => c['name'])).toEqual(['help']);
    await expect(
      api.applicationCommands.bulkOverwriteGlobalCommands(fake.applicationId, [
        { name: 'Bad Name', description: 'x' },
      ]),
    ).rejects.toMatchObject({ code: 50035 });
  });

  it('knows no webhook before the interaction was answered', async () => {
    const { token } = interaction();
    await expect(
      api.interactions.followUp(fake.applicationId, token, { content: 'x' }),
    ).rejects.toMatchObject({
      code: 10015,
    });
  });
});

describe('signed interactions delivered to an app', () => {
  it('sends signed requests and records the app answer as the initial response', async () => {
    let inbound: DiscordInbound | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const verify = createDiscordVerifier(inbound!.publicKeyHex);
        const ok = verify({
          rawBody,
          signature: req.headers['x-signature-ed25519'] as string | undefined,
          timestamp: req.headers['x-signature-timestamp'] as string | undefined,
        });
        if (!ok) {
          res.writeHead(401).end('invalid request signature');
          return;
        }
        const body = JSON.parse(rawBody.toString()) as { type: number };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body.type === 1 ? { type: 1 } : { type: 5 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    inbound = new DiscordInbound(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    try {
      expect(await (await inbound.ping()).json()).toEqual({ type: 1 });
      const interaction = discordInteraction({ applicationId: fake.applicationId, name: 'chat' });
      expect((await inbound.deliver(interaction, fake)).status).toBe(200);
      await api.interactions.editReply(fake.applicationId, interaction.token, { content: 'Halo' });
      expect(fake.transcript(interaction.token).original?.content).toBe('Halo');
      const forged = await inbound.deliver(
        discordInteraction({ applicationId: fake.applicationId, name: 'chat' }),
        fake,
        {
          signature: 'ab'.repeat(64),
        },
      );
      expect(forged.status).toBe(401);
    } finally {
      server.close();
    }
  });
});
