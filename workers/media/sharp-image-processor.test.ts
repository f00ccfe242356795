import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.js';
import { assertMaskMatches, TELEGRAM_PHOTO_LIMITS } from '../../core/ports/images.js';
import { fitWithin, SharpImageProcessor } from './sharp-image-processor.js';

const processor = new SharpImageProcessor();

function noise(width: number, height: number) {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  });
}

function solid(width: number, height: number, alpha = 1) {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 30, b: 30, alpha } } });
}

/** A valid PNG (1-bit grey, all black) of the given size, built by hand: a real decompression bomb. */
function bombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8);
  const rows = deflateSync(Buffer.alloc((1 + Math.ceil(width / 8)) * height), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function refusal(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    return error as CoreError;
  }
  throw new Error('expected a refusal');
}

describe('SharpImageProcessor.inspect', () => {
  it('reports format, size, bytes and alpha', async () => {
    const png = await solid(30, 20, 0.5).png().toBuffer();
    expect(await processor.inspect(png)).toEqual({
      format: 'png',
      width: 30,
      height: 20,
      bytes: png.length,
      hasAlpha: true,
    });
  });

  it('reports the displayed size of an EXIF-rotated photo', async () => {
    const jpeg = await noise(40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await processor.inspect(jpeg)).toMatchObject({ format: 'jpeg', width: 20, height: 40 });
  });

  it('refuses things that are not images, and SVG', async () => {
    for (const bytes of [
      Buffer.from('hello, not an image'),
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      Buffer.alloc(0),
    ]) {
      const error = await refusal(processor.inspect(bytes));
      expect(error.code).toBe('invalid_request');
      expect(error.message).toMatch(/not an image/);
    }
  });

  it('refuses formats outside the limits and files over the byte limit', async () => {
    const gif = await solid(8, 8).gif().toBuffer();
    expect((await refusal(processor.inspect(gif, { formats: ['png'] }))).message).toMatch(/GIF images/);
    const tiff = await solid(8, 8).tiff().toBuffer();
    expect((await refusal(processor.inspect(tiff))).code).toBe('invalid_request');
    const png = await noise(64, 64).png().toBuffer();
    expect((await refusal(processor.inspect(png, { maxInputBytes: 100 }))).code).toBe('payload_too_large');
  });

  it('refuses a 30000x30000 PNG from its header, without decoding it', async () => {
    const bomb = bombPng(30_000, 30_000);
    const error = await refusal(processor.inspect(bomb));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/too many pixels \(30000x30000; the limit is 40 megapixels\)/);
    expect((await refusal(processor.sanitize(bomb))).message).toMatch(/too many pixels/);
    expect((await refusal(processor.preview(bomb, TELEGRAM_PHOTO_LIMITS))).message).toMatch(
      /too many pixels/,
    );
  });
});

describe('SharpImageProcessor.sanitize', () => {
  it('strips EXIF and GPS metadata', async () => {
    const jpeg = await noise(32, 32)
      .jpeg()
      .withExif({
        IFD0: { Copyright: 'someone', Artist: 'camera owner' },
        IFD3: {
          GPSLatitudeRef: 'S',
          GPSLatitude: '6/1 12/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '106/1 49/1 0/1',
        },
      })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();

    const out = await processor.sanitize(jpeg);
    const metadata = await sharp(out.bytes).metadata();
    expect(out.contentType).toBe('image/jpeg');
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.icc).toBeUndefined();
    expect(out.bytes.includes(Buffer.from('camera owner'))).toBe(false);
  });

  it('applies the EXIF orientation to the pixels', async () => {
    // Left half red, right half blue; orientation 6 shows it turned 90 degrees clockwise.
    const left = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const photo = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#0000ff' } })
      .composite([{ input: left, left: 0, top: 0 }])
      .png()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const out = await processor.sanitize(photo);
    expect([out.width, out.height]).toEqual([20, 40]);
    const { data, info } = await sharp(out.bytes).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels).subarray(0, 3),
    ];
    expect(pixel(10, 5)).toEqual([255, 0, 0]);
    expect(pixel(10, 35)).toEqual([0, 0, 255]);
    expect((await sharp(out.bytes).metadata()).orientation).toBeUndefined();
  });

  it('refuses a truncated JPEG and WebP, and a PNG with corrupted data', async () => {
    const jpeg = await noise(200, 200).jpeg().toBuffer();
    const webp = await noise(200, 200).webp().toBuffer();
    const png = Buffer.from(await noise(200, 200).png().toBuffer());
    png.fill(0, 2000, 2100);
    for (const bytes of [
      jpeg.subarray(0, Math.floor(jpeg.length * 0.9)),
      webp.subarray(0, webp.length >> 1),
      png,
    ]) {
      expect((await refusal(processor.sanitize(bytes))).message).toMatch(/damaged or incomplete/);
    }
  });

  it('refuses a truncated PNG', async () => {
    const png = await noise(200, 200).png().toBuffer();
    const error = await refusal(processor.sanitize(png.subarray(0, Math.floor(png.length * 0.6))));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/damaged or incomplete/);
  });

  it('shrinks to maxSide, converts format, and turns GIF into PNG', async () => {
    const png = await noise(300, 150).png().toBuffer();
    const out = await processor.sanitize(png, { maxSide: 100, format: 'webp' });
    expect(out).toMatchObject({ format: 'webp', contentType: 'image/webp', width: 100, height: 50 });
    const gif = await solid(16, 16).gif().toBuffer();
    expect(await processor.sanitize(gif)).toMatchObject({ format: 'png', width: 16, height: 16 });
    const small = await processor.sanitize(png, { maxSide: 1000 });
    expect([small.width, small.height]).toEqual([300, 150]);
  });
});

describe('SharpImageProcessor.preview', () => {
  it('lowers quality and size until the preview fits a small byte limit', async () => {
    const png = await noise(600, 400).png().toBuffer();
    expect(png.length).toBeGreaterThan(300_000);
    const out = await processor.preview(png, { maxBytes: 20_000 });
    expect(out.bytes.length).toBeLessThanOrEqual(20_000);
    expect(out.format).toBe('jpeg');
    expect(out.width / out.height).toBeCloseTo(1.5, 1);
    expect((await sharp(out.bytes).metadata()).format).toBe('jpeg');
  });

  it('keeps transparency in previews of transparent images', async () => {
    const png = await solid(64, 64, 0.3).png().toBuffer();
    const out = await processor.preview(png, { maxBytes: 100_000 });
    expect(out.format).toBe('png');
    expect((await sharp(out.bytes).metadata()).hasAlpha).toBe(true);
  });

  it('fits a side limit and refuses when nothing fits', async () => {
    const png = await noise(500, 250).png().toBuffer();
    const out = await processor.preview(png, { maxBytes: 10_000_000, maxSide: 200 });
    expect([out.width, out.height]).toEqual([200, 100]);
    expect((await refusal(processor.preview(png, { maxBytes: 50 }))).code).toBe('payload_too_large');
  });
});

describe('fitWithin', () => {
  it('respects the Telegram width + height limit and never enlarges', () => {
    expect(fitWithin(9000, 3000, TELEGRAM_PHOTO_LIMITS)).toEqual({ width: 7500, height: 2500 });
    expect(fitWithin(1024, 1024, TELEGRAM_PHOTO_LIMITS)).toEqual({ width: 1024, height: 1024 });
    expect(fitWithin(4000, 1000, { maxBytes: 1, maxSide: 2000 })).toEqual({ width: 2000, height: 500 });
  });
});

describe('assertMaskMatches', () => {
  const image = { format: 'png' as const, width: 64, height: 64, bytes: 1, hasAlpha: false };
  it('accepts a same-size PNG mask with alpha and refuses others', () => {
    expect(() =>
      assertMaskMatches(image, { ...image, hasAlpha: true }, { requireAlpha: true }),
    ).not.toThrow();
    expect(() => assertMaskMatches(image, { ...image, width: 32 })).toThrow(/same size/);
    expect(() => assertMaskMatches(image, image, { requireAlpha: true })).toThrow(/transparency/);
  });
});
