import { createHash } from 'node:crypto';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { signedUrl, verifySignedKey } from '../ports/signed-url.js';

/**
 * Expiring links to stored media, served by our own API under `{publicUrl}/files/{key}`. The HMAC key
 * is derived from the deployment secret with a purpose label, so a file link can never double as
 * any other token signed with that secret.
 */
export interface FileLinks {
  /** A link valid for `ttlSeconds` (default one hour, like OpenAI's image URLs). */
  url(key: string, ttlSeconds?: number): string;
  /** Throws `not_found` for forged links and `forbidden` for expired ones. */
  verify(key: string, exp: string | undefined, sig: string | undefined): void;
}

export const FILES_PATH = '/files';
const DEFAULT_TTL_SECONDS = 3600;

export function createFileLinks(publicUrl: string, secret: string, clock: Clock): FileLinks {
  const key = createHash('sha256').update(`aiport-file-links\n${secret}`).digest();
  const base = `${publicUrl.replace(/\/+$/, '')}${FILES_PATH}`;
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
  return {
    url(storageKey, ttlSeconds = DEFAULT_TTL_SECONDS) {
      return signedUrl(base, key, storageKey, nowSeconds() + ttlSeconds);
    },
    verify(storageKey, exp, sig) {
      const check = verifySignedKey(key, storageKey, exp, sig, nowSeconds());
      if (check === 'invalid') throw new CoreError('not_found', 'No such file.');
      if (check === 'expired') throw new CoreError('forbidden', 'This link has expired.');
    },
  };
}
