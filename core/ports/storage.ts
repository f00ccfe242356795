import { CoreError } from '../errors.js';

/** One stored object: its bytes and the content type given when it was put. */
export interface StoredObject {
  bytes: Buffer;
  contentType: string;
}

/** An object being read in chunks (for serving large files such as videos without buffering them). */
export interface StoredObjectStream {
  body: AsyncIterable<Uint8Array>;
  contentType: string;
  /** Length in bytes. */
  size: number;
}

/**
 * Blob storage for uploads and generated outputs (local disk or S3-compatible).
 *
 * Keys are slash-separated relative paths built with the helpers below; every implementation
 * refuses a key that `assertStorageKey` rejects, so a key can never escape its root.
 * `delete` and `deletePrefix` are idempotent: deleting what is not there is not an error.
 */
export interface Storage {
  put(key: string, bytes: Buffer | Uint8Array, contentType: string): Promise<void>;
  /** The object, or null when no object has this key. */
  get(key: string): Promise<StoredObject | null>;
  /** Like `get`, but streamed; the caller must consume or abandon `body` (abandoning closes it). */
  getStream(key: string): Promise<StoredObjectStream | null>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (which must end with `/`); returns how many. */
  deletePrefix(prefix: string): Promise<number>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_KEY_LENGTH = 512;

/** Throws CoreError('invalid_request') unless `key` is a safe relative key (no `..`, no absolute path, no `\`). */
export function assertStorageKey(key: string): void {
  if (!isSafeStorageKey(key)) {
    throw new CoreError('invalid_request', 'Invalid storage key.');
  }
}

export function isSafeStorageKey(key: string): boolean {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  return key.split('/').every((segment) => SEGMENT.test(segment) && !segment.includes('..'));
}

/** A prefix is a safe key followed by `/`, so `deletePrefix` can only ever cover whole folders. */
export function assertStoragePrefix(prefix: string): void {
  if (!prefix.endsWith('/') || !isSafeStorageKey(prefix.slice(0, -1))) {
    throw new CoreError('invalid_request', 'Invalid storage prefix.');
  }
}

/**
 * Turns a user-supplied file name into one safe key segment: keeps letters, digits, `.`, `-`, `_`,
 * replaces the rest, never starts with a dot and never contains `..`.
 */
export function safeFileName(name: string, fallback = 'file'): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+/, '')
    .slice(0, 100);
  return cleaned.length > 0 ? cleaned : fallback;
}

function idSegment(label: string, value: string): string {
  if (!SEGMENT.test(value) || value.includes('..')) {
    throw new CoreError('invalid_request', `Invalid ${label} for a storage key.`);
  }
  return value;
}

/** `uploads/{accountId}/{jobId}/`: everything a job received from the user. */
export function uploadsPrefix(accountId: string, jobId: string): string {
  return `uploads/${idSegment('account id', accountId)}/${idSegment('job id', jobId)}/`;
}

/** `uploads/{accountId}/{jobId}/{name}`; the name is made safe with `safeFileName`. */
export function uploadKey(accountId: string, jobId: string, name: string): string {
  return `${uploadsPrefix(accountId, jobId)}${safeFileName(name)}`;
}

/** `outputs/{accountId}/{jobId}/`: everything a job produced. */
export function outputsPrefix(accountId: string, jobId: string): string {
  return `outputs/${idSegment('account id', accountId)}/${idSegment('job id', jobId)}/`;
}

/** `outputs/{accountId}/{jobId}/{n}.{ext}`, n counting from 0. */
export function outputKey(accountId: string, jobId: string, n: number, extension = 'png'): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new CoreError('invalid_request', 'Invalid output index for a storage key.');
  }
  if (!/^[a-z0-9]{1,8}$/.test(extension)) {
    throw new CoreError('invalid_request', 'Invalid file extension for a storage key.');
  }
  return `${outputsPrefix(accountId, jobId)}${n}.${extension}`;
}

/** The prefixes that hold everything stored for an account (for export and deletion). */
export function accountPrefixes(accountId: string): string[] {
  const account = idSegment('account id', accountId);
  return [`uploads/${account}/`, `outputs/${account}/`];
}

const EXTENSION_BY_TYPE: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

/** The usual extension for a content type, or `bin` when unknown. */
export function extensionForContentType(contentType: string): string {
  const bare = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return EXTENSION_BY_TYPE[bare] ?? 'bin';
}
