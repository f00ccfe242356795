import type { Storage } from '../../core/ports/storage.js';
import { LocalStorage } from './local-storage.js';
import { S3Storage, type S3StorageConfig } from './s3-storage.js';

/** Which storage to use: S3-compatible when configured, else files under the data directory. */
export type StorageConfig = { kind: 'local'; dataDir: string } | ({ kind: 's3' } & S3StorageConfig);

export function createStorage(config: StorageConfig): Storage {
  if (config.kind === 'local') return new LocalStorage(config.dataDir);
  const { kind: _kind, ...s3 } = config;
  return new S3Storage(s3);
}
