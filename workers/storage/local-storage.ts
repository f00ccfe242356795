import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  assertStorageKey,
  assertStoragePrefix,
  type Storage,
  type StoredObject,
  type StoredObjectStream,
} from '../../core/ports/storage.js';

/**
 * Storage on the local disk under `dataDir`. Objects live at `{dataDir}/{key}`, their content types
 * in a sidecar tree `{dataDir}/.meta/{key}`; no valid key segment starts with a dot, so neither the
 * sidecars nor half-written `.tmp-*` files can ever collide with a key. Writes are atomic
 * (temp file + rename), so a reader never sees half an object.
 */
export class LocalStorage implements Storage {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir);
  }

  async put(key: string, bytes: Buffer | Uint8Array, contentType: string): Promise<void> {
    const file = this.pathFor(key);
    await writeAtomically(this.metaPathFor(key), Buffer.from(contentType, 'utf8'));
    await writeAtomically(file, bytes);
  }

  async get(key: string): Promise<StoredObject | null> {
    const file = this.pathFor(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    return { bytes, contentType: await this.contentTypeOf(key) };
  }

  async getStream(key: string): Promise<StoredObjectStream | null> {
    const file = this.pathFor(key);
    // Open first, then stream from the open descriptor, so a concurrent replace cannot mix two files.
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const contentType = await this.contentTypeOf(key);
      return { body: createReadStream('', { fd: handle, autoClose: true }), contentType, size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathFor(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathFor(key);
    await unlinkIfPresent(file);
    await unlinkIfPresent(this.metaPathFor(key));
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertStoragePrefix(prefix);
    const folder = this.inside(join(this.root, prefix));
    const count = await countFiles(folder);
    await rm(folder, { recursive: true, force: true });
    await rm(this.inside(join(this.root, '.meta', prefix)), { recursive: true, force: true });
    return count;
  }

  private async contentTypeOf(key: string): Promise<string> {
    try {
      return await readFile(this.metaPathFor(key), 'utf8');
    } catch (error) {
      if (isMissing(error)) return 'application/octet-stream';
      throw error;
    }
  }

  private pathFor(key: string): string {
    assertStorageKey(key);
    return this.inside(join(this.root, key));
  }

  private metaPathFor(key: string): string {
    assertStorageKey(key);
    return this.inside(join(this.root, '.meta', key));
  }

  /** A second guard behind `assertStorageKey`: the resolved path must stay under the root. */
  private inside(path: string): string {
    const resolved = resolve(path);
    if (!resolved.startsWith(this.root + sep)) {
      throw new Error('Storage path escaped its root.');
    }
    return resolved;
  }
}

async function writeAtomically(file: string, bytes: Buffer | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = join(dirname(file), `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (error) {
    await unlinkIfPresent(temp);
    throw error;
  }
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

/** Objects under a folder; temp files (dot-names) are not objects. */
async function countFiles(folder: string): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return 0;
    throw error;
  }
  let count = 0;
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) count += await countFiles(join(folder, entry.name));
    else if (entry.isFile()) count += 1;
  }
  return count;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
