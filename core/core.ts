import type { Database } from '../db/index.js';
import { createAccounts, createApiKeys, createTokenService } from './accounts/index.js';
import type { Catalog } from './catalog/index.js';
import { createJobs } from './jobs/index.js';
import { createLedger } from './ledger/index.js';
import { createMediaService, type MediaOptions } from './media/index.js';
import type { Clock } from './ports/clock.js';
import type { ImageProcessor } from './ports/images.js';
import type { Mailer } from './ports/mailer.js';
import type { TaskQueue } from './ports/queue.js';
import type { Storage } from './ports/storage.js';
import { createPrivacy } from './privacy/index.js';
import type { MediaProviders } from './providers/media.js';
import { createRetention } from './retention/index.js';

export interface CoreOptions {
  publicUrl: string;
  jwtSecret: string;
  welcomeCreditMrp: bigint;
  /** Media tuning (poll interval, time limits); links and webhooks use `publicUrl`. */
  media?: Partial<Omit<MediaOptions, 'publicUrl' | 'fileSecret'>>;
}

export interface CoreDeps {
  db: Database;
  clock: Clock;
  mailer: Mailer;
  catalog: Catalog;
  /** Background work (BullMQ in production); processors live in workers/. */
  queue: TaskQueue;
  /** Uploaded and generated files; without it retention and erasure leave files for a run that has one. */
  storage?: Storage;
  /** Images, edits and video: served only with storage, an image processor and media providers. */
  media?: { images: ImageProcessor; providers: MediaProviders };
}

/** The domain services, wired once; every shell (API, bots, workers) gets the same instances. */
export function createCore(deps: CoreDeps, options: CoreOptions) {
  const { db, clock, mailer, catalog, queue } = deps;
  const ledger = createLedger(db, clock);
  const tokens = createTokenService(options.jwtSecret, clock);
  const accounts = createAccounts(
    db,
    { clock, tokens, mailer },
    {
      publicUrl: options.publicUrl,
      welcomeCreditMrp: options.welcomeCreditMrp,
      credit: (accountId, amountMrp, idempotencyKey) =>
        ledger.credit('welcome', { accountId, amountMrp, idempotencyKey, reason: 'Welcome credit' }),
    },
  );
  const apiKeys = createApiKeys(db, clock);
  const storage = deps.storage;
  const privacy = createPrivacy({ db, clock, accounts, ...(storage ? { storage } : {}) });
  const retention = createRetention({ db, clock, ...(storage ? { storage } : {}) });
  const media =
    deps.media && storage
      ? createMediaService(
          { db, clock, catalog, ledger, queue, storage, jobs: createJobs(db, clock), ...deps.media },
          { publicUrl: options.publicUrl, fileSecret: options.jwtSecret, ...options.media },
        )
      : undefined;
  return { db, clock, catalog, queue, ledger, tokens, accounts, apiKeys, privacy, retention, media };
}

export type Core = ReturnType<typeof createCore>;
