import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.js';
import { outputKey, type Storage, uploadKey } from '../../core/ports/storage.js';
import { type FakeS3, startFakeS3 } from '../../test/fakes/s3.js';
import { createStorage } from './create-storage.js';
import { LocalStorage } from './local-storage.js';
import { S3Storage } from './s3-storage.js';

let dataDir: string;
let fakeS3: FakeS3;
let s3: S3Storage;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aiport-storage-'));
  fakeS3 = await startFakeS3({ buckets: ['media'], listPageSize: 2 });
  s3 = new S3Storage({
    endpoint: fakeS3.url,
    region: 'auto',
    bucket: 'media',
    accessKeyId: 'test-access',
    secretAccessKey: 'test-secret',
    forcePathStyle: true,
  });
});

afterAll(async () => {
  s3.close();
  await fakeS3.close();
  await rm(dataDir, { recursive: true, force: true });
});

const implementations: Array<[string, () => Storage]> = [
  ['LocalStorage', () => new LocalStorage(dataDir)],
  ['S3Storage', () => s3],
];

describe.each(implementations)('%s', (_name, storage) => {
  it('puts, gets, checks and deletes an object with its content type', async () => {
    const key = outputKey('acc1', 'job-put', 0);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
    await storage().put(key, bytes, 'image/png');
    expect(await storage().exists(key)).toBe(true);
    expect(await storage().get(key)).toEqual({ bytes, contentType: 'image/png' });
    await storage().delete(key);
    expect(await storage().exists(key)).toBe(false);
    expect(await storage().get(key)).toBeNull();
    await expect(storage().delete(key)).resolves.toBeUndefined();
  });

  it('streams an object with its size and content type', async () => {
    const key = outputKey('acc1', 'job-stream', 0, 'mp4');
    const bytes = Buffer.alloc(300_000, 7);
    await storage().put(key, bytes, 'video/mp4');
    const stream = await storage().getStream(key);
    expect(stream?.contentType).toBe('video/mp4');
    expect(stream?.size).toBe(bytes.length);
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream!.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(await storage().getStream(outputKey('acc1', 'job-stream', 9))).toBeNull();
  });

  it('overwrites an object and accepts a Uint8Array', async () => {
    const key = uploadKey('acc1', 'job-over', 'photo.jpg');
    await storage().put(key, Buffer.from('first'), 'image/jpeg');
    await storage().put(key, new Uint8Array([1, 2, 3]), 'image/webp');
    expect(await storage().get(key)).toEqual({ bytes: Buffer.from([1, 2, 3]), contentType: 'image/webp' });
  });

  it('deletes a whole prefix and nothing beside it', async () => {
    for (let n = 0; n < 5; n += 1) {
      await storage().put(outputKey('acc2', 'job-a', n), Buffer.from(`a${n}`), 'image/png');
    }
    await storage().put(outputKey('acc2', 'job-ab', 0), Buffer.from('keep'), 'image/png');
    expect(await storage().deletePrefix('outputs/acc2/job-a/')).toBe(5);
    expect(await storage().exists(outputKey('acc2', 'job-a', 3))).toBe(false);
    expect(await storage().exists(outputKey('acc2', 'job-ab', 0))).toBe(true);
    expect(await storage().deletePrefix('outputs/acc2/job-a/')).toBe(0);
  });

  it('refuses unsafe keys before touching the backend', async () => {
    for (const key of ['../escape', '/etc/passwd', 'uploads\\x', 'uploads/../../x', 'a//b']) {
      await expect(storage().put(key, Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(CoreError);
      await expect(storage().get(key)).rejects.toBeInstanceOf(CoreError);
      await expect(storage().getStream(key)).rejects.toBeInstanceOf(CoreError);
      await expect(storage().exists(key)).rejects.toBeInstanceOf(CoreError);
      await expect(storage().delete(key)).rejects.toBeInstanceOf(CoreError);
    }
    await expect(storage().deletePrefix('uploads')).rejects.toBeInstanceOf(CoreError);
    await expect(storage().deletePrefix('../')).rejects.toBeInstanceOf(CoreError);
  });
});

describe('LocalStorage on disk', () => {
  it('keeps content types out of the key space and leaves no temp files', async () => {
    const storage = new LocalStorage(dataDir);
    await storage.put('uploads/acc9/job9/a.png', Buffer.from('x'), 'image/png');
    expect(await readdir(join(dataDir, 'uploads/acc9/job9'))).toEqual(['a.png']);
  });
});

describe('createStorage', () => {
  it('builds local or S3 storage from config', () => {
    expect(createStorage({ kind: 'local', dataDir })).toBeInstanceOf(LocalStorage);
    const built = createStorage({
      kind: 's3',
      endpoint: fakeS3.url,
      region: 'auto',
      bucket: 'media',
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    expect(built).toBeInstanceOf(S3Storage);
    (built as S3Storage).close();
  });
});

describe('S3Storage against the fake', () => {
  it('sends signed, path-style requests', async () => {
    await s3.put('outputs/acc3/job3/0.png', Buffer.from('png'), 'image/png');
    const put = fakeS3.requests.find(
      (request) => request.method === 'PUT' && request.key.startsWith('outputs/acc3'),
    );
    expect(put?.bucket).toBe('media');
    expect(put?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test-access\//);
    expect(fakeS3.objects.get('media/outputs/acc3/job3/0.png')?.contentType).toBe('image/png');
  });

  it('retries a 503 SlowDown and surfaces a persistent 500', async () => {
    fakeS3.failNext(503, 'SlowDown');
    await s3.put('outputs/acc3/job3/1.png', Buffer.from('png'), 'image/png');
    expect(await s3.exists('outputs/acc3/job3/1.png')).toBe(true);
    fakeS3.failNext(500, 'InternalError', 3);
    await expect(s3.get('outputs/acc3/job3/1.png')).rejects.toMatchObject({ name: 'InternalError' });
  });
});
