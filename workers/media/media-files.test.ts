import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.js';
import { LocalStorage } from '../storage/local-storage.js';
import { storeImageUpload, storeOutputs } from './media-files.js';
import { SharpImageProcessor } from './sharp-image-processor.js';

let dataDir: string;
let deps: { storage: LocalStorage; images: SharpImageProcessor };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aiport-media-'));
  deps = { storage: new LocalStorage(dataDir), images: new SharpImageProcessor() };
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('storeImageUpload', () => {
  it('stores a sanitized copy without GPS under the upload key', async () => {
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#abcdef' } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 12/1 0/1' } })
      .toBuffer();
    const stored = await storeImageUpload(deps, {
      accountId: 'acc',
      jobId: 'job1',
      name: '../My Photo.JPG',
      bytes: photo,
    });
    expect(stored).toMatchObject({
      key: 'uploads/acc/job1/My_Photo.jpg',
      contentType: 'image/jpeg',
      width: 40,
      height: 30,
    });
    const read = await deps.storage.get(stored.key);
    expect((await sharp(read!.bytes).metadata()).exif).toBeUndefined();
  });

  it('refuses a file that is not an image and stores nothing', async () => {
    await expect(
      storeImageUpload(deps, { accountId: 'acc', jobId: 'job2', name: 'x.png', bytes: Buffer.from('nope') }),
    ).rejects.toBeInstanceOf(CoreError);
    expect(await deps.storage.deletePrefix('uploads/acc/job2/')).toBe(0);
  });
});

describe('storeOutputs', () => {
  it('stores images as given and videos by content type, numbered from firstIndex', async () => {
    const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const video = Buffer.from('....ftypmp42');
    const stored = await storeOutputs(deps, {
      accountId: 'acc',
      jobId: 'job3',
      firstIndex: 1,
      files: [
        { bytes: png, contentType: 'image/png' },
        { bytes: video, contentType: 'video/mp4' },
      ],
    });
    expect(stored).toEqual([
      { key: 'outputs/acc/job3/1.png', contentType: 'image/png', size: png.length, width: 8, height: 6 },
      { key: 'outputs/acc/job3/2.mp4', contentType: 'video/mp4', size: video.length },
    ]);
    expect((await deps.storage.get('outputs/acc/job3/1.png'))?.bytes.equals(png)).toBe(true);
  });

  it('refuses an image output that does not decode', async () => {
    await expect(
      storeOutputs(deps, {
        accountId: 'acc',
        jobId: 'job4',
        files: [{ bytes: Buffer.from('x'), contentType: 'image/png' }],
      }),
    ).rejects.toMatchObject({ code: 'upstream_error', retryable: false });
  });
});
