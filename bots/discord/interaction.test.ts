import { describe, expect, it } from 'vitest';
import { discordInteraction, discordMessageCommand } from '../../test/fakes/discord.js';
import { parseInteraction } from './interaction.js';

describe('parseInteraction', () => {
  it('reads a guild slash command with its options', () => {
    const raw = discordInteraction({
      applicationId: '11',
      name: 'image',
      guildId: '99',
      locale: 'en-US',
      attachmentSizeLimit: 26_214_400,
      options: [
        { name: 'prompt', type: 3, value: 'kucing' },
        { name: 'count', type: 4, value: 2 },
      ],
    });
    expect(parseInteraction(JSON.parse(JSON.stringify(raw)))).toEqual({
      kind: 'command',
      id: raw.id,
      token: raw.token,
      applicationId: '11',
      userId: '200000000000000001',
      guildId: '99',
      channelId: '300000000000000001',
      locale: 'en-US',
      attachmentSizeLimit: 26_214_400,
      name: 'image',
      options: { prompt: 'kucing', count: 2 },
      attachments: {},
    });
  });

  it('reads attachment options and a message command’s target, dropping malformed files', () => {
    const file = {
      id: '71',
      filename: 'a.txt',
      size: 3,
      url: 'https://cdn.discordapp.com/a.txt',
      content_type: 'text/plain',
    };
    const raw = discordInteraction({
      applicationId: '11',
      name: 'chat',
      options: [{ name: 'file', type: 11, value: '71' }],
      resolved: { attachments: { '71': file, '72': { id: '72', filename: 'b', size: -1, url: 'x' } } },
    });
    expect(parseInteraction(raw)).toMatchObject({
      options: { file: '71' },
      attachments: {
        '71': { id: '71', filename: 'a.txt', size: 3, url: file.url, contentType: 'text/plain' },
      },
    });
    const message = discordMessageCommand({
      applicationId: '11',
      name: 'Tanya AIport',
      message: { content: 'hai', attachments: [file, { id: 'x' }], sticker_items: [{ id: '1' }] },
    });
    expect(parseInteraction(message)).toMatchObject({
      kind: 'command',
      target: { content: 'hai', stickers: 1, attachments: [{ id: '71' }] },
    });
    // A message command without its message is malformed.
    const data = message['data'] as Record<string, unknown>;
    expect(parseInteraction({ ...message, data: { ...data, resolved: {} } })).toBeUndefined();
  });

  it('reads a DM user, pings, components and autocomplete', () => {
    const dm = parseInteraction(discordInteraction({ applicationId: '11', name: 'balance', userId: '5' }));
    expect(dm).toMatchObject({ kind: 'command', userId: '5', name: 'balance', options: {} });
    expect(parseInteraction({ type: 1, id: '1', token: 't', application_id: '11' })).toEqual({
      kind: 'ping',
    });
    const base = { id: '1', token: 't', application_id: '11', user: { id: '5' } };
    expect(
      parseInteraction({ ...base, type: 3, data: { custom_id: 'model', values: ['gpt-4o-mini'] } }),
    ).toMatchObject({
      kind: 'component',
      customId: 'model',
      values: ['gpt-4o-mini'],
    });
    const autocomplete = {
      ...base,
      type: 4,
      data: { name: 'model', options: [{ name: 'name', value: 'gp', focused: true }] },
    };
    expect(parseInteraction(autocomplete)).toMatchObject({
      kind: 'autocomplete',
      focused: { name: 'name', value: 'gp' },
    });
  });

  it('rejects malformed bodies', () => {
    expect(parseInteraction(null)).toBeUndefined();
    expect(
      parseInteraction({ type: 2, id: '1', token: 't', application_id: '11', data: { name: 'x' } }),
    ).toBeUndefined();
    expect(
      parseInteraction({ type: 2, id: 1, token: 't', application_id: '11', user: { id: '5' } }),
    ).toBeUndefined();
    expect(
      parseInteraction({ type: 99, id: '1', token: 't', application_id: '11', user: { id: '5' } }),
    ).toBeUndefined();
  });
});
