import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from './s3.js';

let fake: FakeS3;
beforeAll(async () => {
  fake = await startFakeS3({ buckets: ['b'], listPageSize: 2 });
});
afterAll(() => fake.close());

describe('fake S3 (path-style wire)', () => {
  it('stores, serves with headers, and answers S3 XML errors', async () => {
    const put = await fetch(`${fake.url}/b/dir/a%20b.txt`, {
      method: 'PUT',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe('"5d41402abc4b2a76b9719d911017c592"');
    const got = await fetch(`${fake.url}/b/dir/a%20b.txt`);
    expect(got.headers.get('content-type')).toBe('text/plain');
    expect(await got.text()).toBe('hello');

    const missing = await fetch(`${fake.url}/b/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<Code>NoSuchKey</Code>');
    expect((await fetch(`${fake.url}/b/nope`, { method: 'HEAD' })).status).toBe(404);
    expect(await (await fetch(`${fake.url}/other/x`)).text()).toContain('<Code>NoSuchBucket</Code>');
  });

  it('lists by prefix in pages with continuation tokens', async () => {
    for (const name of ['p/1', 'p/2', 'p/3', 'q/1'])
      await fetch(`${fake.url}/b/${name}`, { method: 'PUT', body: name });
    const first = await (await fetch(`${fake.url}/b?list-type=2&prefix=p/`)).text();
    expect(first).toContain('<IsTruncated>true</IsTruncated>');
    expect(first.match(/<Key>/g)).toHaveLength(2);
    const token = /<NextContinuationToken>([^<]+)</.exec(first)?.[1] ?? '';
    const second = await (
      await fetch(`${fake.url}/b?list-type=2&prefix=p/&continuation-token=${encodeURIComponent(token)}`)
    ).text();
    expect(second).toContain('<Key>p/3</Key>');
    expect(second).toContain('<IsTruncated>false</IsTruncated>');
  });

  it('injects error statuses', async () => {
    fake.failNext(503, 'SlowDown');
    const res = await fetch(`${fake.url}/b/p/1`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('<Code>SlowDown</Code>');
  });
});
