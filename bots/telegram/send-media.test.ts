import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../test/fakes/telegram.js';
import { virtualScheduler } from '../shared/scheduler.js';
import {
  MediaTooLargeError,
  sendTelegramMedia,
  sendTelegramPhotos,
  TELEGRAM_PHOTO_MAX_BYTES,
} from './send-media.js';

let fake: FakeTelegram;
let api: Api;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  api = new Api(fake.token, { apiRoot: fake.apiRoot });
});
afterAll(async () => {
  await fake.close();
});

describe('sendTelegramMedia', () => {
  it('uploads a photo with its caption and the upload action', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9]);
    await sendTelegramMedia(
      api,
      { chatId: 601 },
      { kind: 'photo', data: bytes, filename: 'a.png', caption: 'gpt-image-1 · biaya Rp 700' },
    );
    const transcript = fake.transcript(601);
    expect(transcript.actions).toEqual(['upload_photo']);
    const [photo] = transcript.messages;
    expect(photo?.kind).toBe('photo');
    expect(photo?.text).toBe('gpt-image-1 · biaya Rp 700');
    expect(photo?.file && 'bytes' in photo.file ? [...photo.file.bytes] : []).toEqual([...bytes]);
  });

  it('sends an oversized photo as a document, cuts long captions, and refuses what a bot cannot upload', async () => {
    await sendTelegramMedia(
      api,
      { chatId: 602 },
      {
        kind: 'photo',
        data: new Uint8Array(TELEGRAM_PHOTO_MAX_BYTES + 1),
        filename: 'big.png',
        caption: 'c'.repeat(2000),
      },
    );
    const [doc] = fake.transcript(602).messages;
    expect(doc?.kind).toBe('document');
    expect(doc?.text.length).toBe(1024);
    await expect(
      sendTelegramMedia(
        api,
        { chatId: 602 },
        { kind: 'video', data: new Uint8Array(51 * 1024 * 1024), filename: 'v.mp4' },
      ),
    ).rejects.toBeInstanceOf(MediaTooLargeError);
  });

  it('waits out flood control and uploads the bytes again', async () => {
    const scheduler = virtualScheduler();
    fake.injectFloodWait('sendVideo', 4);
    await sendTelegramMedia(
      api,
      { chatId: 603 },
      { kind: 'video', data: Buffer.from('mp4'), filename: 'v.mp4' },
      { scheduler },
    );
    expect(scheduler.sleeps).toEqual([4000]);
    const [video] = fake.transcript(603).messages;
    expect(video?.file && 'bytes' in video.file ? video.file.bytes.toString() : '').toBe('mp4');
  });
});

describe('sendTelegramPhotos', () => {
  it('sends several images as one album with the caption on the first', async () => {
    const photos = [1, 2, 3].map((n) => ({ data: Buffer.from([n]), filename: `g${n}.png` }));
    const ids = await sendTelegramPhotos(api, { chatId: 604 }, photos, 'gpt-image-1 · biaya Rp 2.100');
    const messages = fake.transcript(604).messages;
    expect(ids).toEqual(messages.map((m) => m.messageId));
    expect(messages.map((m) => [m.kind, m.text])).toEqual([
      ['photo', 'gpt-image-1 · biaya Rp 2.100'],
      ['photo', ''],
      ['photo', ''],
    ]);
    expect(messages.map((m) => (m.file && 'bytes' in m.file ? m.file.bytes[0] : undefined))).toEqual([
      1, 2, 3,
    ]);
  });

  it('retries an album after flood control, and sends a single image as a photo', async () => {
    const scheduler = virtualScheduler();
    fake.injectFloodWait('sendMediaGroup', 2);
    const photos = [1, 2].map((n) => ({ data: Buffer.from([n]), filename: `g${n}.png` }));
    await sendTelegramPhotos(api, { chatId: 605 }, photos, undefined, { scheduler });
    expect(scheduler.sleeps).toEqual([2000]);
    expect(fake.transcript(605).messages).toHaveLength(2);
    await sendTelegramPhotos(api, { chatId: 606 }, [photos[0]!], 'satu');
    expect(fake.transcript(606).messages.map((m) => [m.kind, m.text])).toEqual([['photo', 'satu']]);
  });
});
