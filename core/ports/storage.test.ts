import { resolve, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../errors.js';
import {
  accountPrefixes,
  assertStoragePrefix,
  extensionForContentType,
  isSafeStorageKey,
  outputKey,
  safeFileName,
  uploadKey,
} from './storage.js';

describe('storage keys', () => {
  it('builds upload and output keys', () => {
    expect(uploadKey('acc1', 'job1', 'photo.png')).toBe('uploads/acc1/job1/photo.png');
    expect(outputKey('acc1', 'job1', 2)).toBe('outputs/acc1/job1/2.png');
    expect(outputKey('acc1', 'job1', 0, 'mp4')).toBe('outputs/acc1/job1/0.mp4');
    expect(accountPrefixes('acc1')).toEqual(['uploads/acc1/', 'outputs/acc1/']);
  });

  it('makes user file names safe', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\foto liburan.jpg')).toBe('foto_liburan.jpg');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('.env')).toBe('env');
    expect(safeFileName('a..b.png')).toBe('a.b.png');
    expect(isSafeStorageKey(uploadKey('a', 'b', '/../../x y'))).toBe(true);
  });

  it('rejects traversal, absolute paths, backslashes and empty segments', () => {
    for (const key of ['../x', 'a/../b', '/etc/passwd', 'a\\b', 'a//b', 'a/', '', 'a/.hidden', 'a/b..c']) {
      expect(isSafeStorageKey(key), key).toBe(false);
    }
    expect(() => uploadKey('../acc', 'job', 'x')).toThrow(CoreError);
    expect(() => outputKey('acc', 'job', -1)).toThrow(CoreError);
    expect(() => assertStoragePrefix('uploads/acc1')).toThrow(CoreError);
    expect(() => assertStoragePrefix('uploads/acc1/')).not.toThrow();
  });

  it('maps content types to extensions', () => {
    expect(extensionForContentType('image/jpeg')).toBe('jpg');
    expect(extensionForContentType('video/mp4; codecs=avc1')).toBe('mp4');
    expect(extensionForContentType('application/x-unknown')).toBe('bin');
  });
});

describe('storage key properties', () => {
  const keyish = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc
      .array(fc.constantFrom('a', 'b', '.', '..', '/', '\\', '-', '_', '~', ' ', '%2e', 'é'), {
        maxLength: 12,
      })
      .map((parts) => parts.join('')),
  );

  it('any file name becomes one safe segment', () => {
    fc.assert(
      fc.property(keyish, (name) => {
        const key = uploadKey('acc', 'job', name);
        return isSafeStorageKey(key) && key.split('/').length === 4 && !key.includes('..');
      }),
    );
  });

  it('a key judged safe always resolves inside the root', () => {
    const root = resolve('/srv/data');
    fc.assert(
      fc.property(keyish, (key) => !isSafeStorageKey(key) || resolve(root, key).startsWith(root + sep)),
    );
  });
});
