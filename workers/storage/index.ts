export { createStorage, type StorageConfig } from './create-storage.js';
export { LocalStorage } from './local-storage.js';
export { S3Storage, type S3StorageConfig } from './s3-storage.js';
