import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../../test/fakes/telegram.js';
import { virtualScheduler } from '../shared/scheduler.js';
import { MediaTooLargeError, sendTelegramMedia, TELEGRAM_PHOTO_MAX_BYTES } from './send-media.js';

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
