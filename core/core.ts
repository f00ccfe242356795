import type { Database } from '../db/index.js';
import {
  createAccounts,
  createApiKeys,
  createPasswordChanges,
  createSessions,
  createTokenService,
} from './accounts/index.js';
import { createAdminConsole, createAdminUsers } from './admin/index.js';
import type { Catalog } from './catalog/index.js';
import {
  type ChatServiceOptions,
  createChatService,
  createWebLinking,
  type EphemeralStore,
} from './chat/index.js';
import { createJobs } from './jobs/index.js';
import { createLedger } from './ledger/index.js';
import { createMediaService, type MediaOptions } from './media/index.js';
import { createMeteredJobs } from './metering/index.js';
import { createKeyLimitNotices } from './notices/index.js';
import type { Clock } from './ports/clock.js';
import type { ImageProcessor } from './ports/images.js';
import type { Mailer } from './ports/mailer.js';
import type { TaskQueue } from './ports/queue.js';
import type { Storage } from './ports/storage.js';
import { createPrivacy } from './privacy/index.js';
import type { EmbeddingProvider, EmbeddingProviderId } from './providers/embeddings/index.js';
import type { ChatProvider, ProviderId } from './providers/index.js';
import type { MediaProviders } from './providers/media.js';
import type { TranscriptionProvider, TranscriptionProviderId } from './providers/transcription/index.js';
import { createRateLimits, type RateLimitDefaults, type RateLimiter } from './ratelimit/index.js';
import { createResponseStore } from './responses/index.js';
import { createRetention } from './retention/index.js';
import {
  createChatGateway,
  createEmbeddingGateway,
  createRouteHealth,
  type RouteHealthOptions,
} from './routing/index.js';
import { type AttemptStore, createLoginThrottle, memoryAttemptStore } from './security/login-throttle.js';
import { createResetLimit } from './security/reset-limit.js';
import { createSignupLimit } from './security/signup-limit.js';
import { createTopups, DEFAULT_TOPUP_OPTIONS, type TopupOptions } from './topups/index.js';
import { createTranscriptionService } from './transcription/index.js';

export interface CoreOptions {
  publicUrl: string;
  jwtSecret: string;
  welcomeCreditMrp: bigint;
  /** Media tuning (poll interval, time limits); links and webhooks use `publicUrl`. */
  media?: Partial<Omit<MediaOptions, 'publicUrl' | 'fileSecret'>>;
  /** Chat gateway: default rate limits, breaker tuning, how long a left client's answer is still read. */
  gateway?: {
    rateLimits?: RateLimitDefaults;
    breaker?: RouteHealthOptions;
    drainTimeoutMs?: number;
    maxAnswerMs?: number;
  };
  /** The bots' conversation service: offered models, limits, history, system prompt. */
  chat?: ChatServiceOptions;
  /** Top-up bounds, bank accounts, Stars rate, Moota webhook secret (defaults: DEFAULT_TOPUP_OPTIONS). */
  topups?: TopupOptions;
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
  /** The configured chat providers (absent ones are simply not routed to). */
  chatProviders?: Partial<Record<ProviderId, ChatProvider>>;
  /**
   * Locks, counters and waiting lines of bot conversations (Redis in production); without it no
   * conversation service is built (a process that runs no bots).
   */
  chatStore?: EphemeralStore;
  /** The configured embedding providers (absent ones are simply not routed to). */
  embeddingProviders?: Partial<Record<EmbeddingProviderId, EmbeddingProvider>>;
  /** The configured speech-to-text providers (absent ones are simply not routed to). */
  transcriptionProviders?: Partial<Record<TranscriptionProviderId, TranscriptionProvider>>;
  /** Requests/tokens per minute; without it nothing is rate limited. */
  rateLimiter?: RateLimiter;
  /** Failed-login counters (Redis); without it they live in this process only. */
  loginAttempts?: AttemptStore;
}

/** The domain services, wired once; every shell (API, bots, workers) gets the same instances. */
export function createCore(deps: CoreDeps, options: CoreOptions) {
  const { db, clock, mailer, catalog, queue } = deps;
  const keyLimitNotices = createKeyLimitNotices({ db, queue });
  const ledger = createLedger(db, clock, { onKeyNotices: (notices) => keyLimitNotices.deliver(notices) });
  const tokens = createTokenService(options.jwtSecret, clock);
  const sessions = createSessions(db, { clock, secret: options.jwtSecret });
  const passwords = createPasswordChanges(
    db,
    { clock, tokens, mailer, sessions },
    { publicUrl: options.publicUrl },
  );
  const accounts = createAccounts(
    db,
    { clock, tokens, mailer, sessions },
    {
      publicUrl: options.publicUrl,
      welcomeCreditMrp: options.welcomeCreditMrp,
      credit: (accountId, amountMrp, idempotencyKey) =>
        ledger.credit('welcome', { accountId, amountMrp, idempotencyKey, reason: 'Welcome credit' }),
    },
  );
  const apiKeys = createApiKeys(db, clock, { knownModel: (id) => catalog.all.some((m) => m.id === id) });
  const storage = deps.storage;
  const privacy = createPrivacy({ db, clock, accounts, ...(storage ? { storage } : {}) });
  const retention = createRetention({ db, clock, ...(storage ? { storage } : {}) });
  const loginThrottle = createLoginThrottle(deps.loginAttempts ?? memoryAttemptStore(), clock);
  const signupLimit = createSignupLimit(deps.rateLimiter);
  const resetLimit = createResetLimit(deps.rateLimiter);
  const adminUsers = createAdminUsers(db, { clock, tokens });
  const adminConsole = createAdminConsole(db, { ledger, accounts, clock });
  const jobs = createJobs(db, clock);
  const metered = createMeteredJobs({ db, ledger, jobs, clock });
  const rateLimits =
    deps.rateLimiter && options.gateway?.rateLimits
      ? createRateLimits(deps.rateLimiter, db, clock, options.gateway.rateLimits)
      : undefined;
  const media =
    deps.media && storage
      ? createMediaService(
          {
            db,
            clock,
            catalog,
            metered,
            queue,
            storage,
            jobs,
            ...(rateLimits ? { rateLimits } : {}),
            ...deps.media,
          },
          { publicUrl: options.publicUrl, fileSecret: options.jwtSecret, ...options.media },
        )
      : undefined;
  const topups = createTopups({ db, clock, queue }, options.topups ?? DEFAULT_TOPUP_OPTIONS);
  // One health record per route, shared by chat and embeddings (routes are keyed by upstream model).
  const health = createRouteHealth(clock, options.gateway?.breaker);
  const gateway = createChatGateway(
    {
      catalog,
      metered,
      jobs,
      providers: deps.chatProviders ?? {},
      health,
      ...(rateLimits ? { rateLimits } : {}),
    },
    { drainTimeoutMs: options.gateway?.drainTimeoutMs, maxAnswerMs: options.gateway?.maxAnswerMs },
  );
  const embeddings = createEmbeddingGateway({
    catalog,
    metered,
    jobs,
    providers: deps.embeddingProviders ?? {},
    health,
    ...(rateLimits ? { rateLimits } : {}),
  });
  const transcription = createTranscriptionService({
    catalog,
    metered,
    jobs,
    providers: deps.transcriptionProviders ?? {},
    health,
    ...(rateLimits ? { rateLimits } : {}),
  });
  const responses = createResponseStore(db, clock);
  // The conversation service every bot uses, over the same gateway as the REST API.
  const chat = deps.chatStore
    ? createChatService(
        {
          db,
          clock,
          catalog,
          ledger,
          accounts,
          store: deps.chatStore,
          gateway,
        },
        options.chat,
      )
    : undefined;
  return {
    db,
    clock,
    catalog,
    queue,
    ledger,
    jobs,
    metered,
    rateLimits,
    gateway,
    embeddings,
    transcription,
    responses,
    tokens,
    sessions,
    passwords,
    accounts,
    apiKeys,
    privacy,
    retention,
    loginThrottle,
    signupLimit,
    resetLimit,
    webLinking: createWebLinking({ db, clock, queue }),
    adminUsers,
    adminConsole,
    media,
    topups,
    chat,
  };
}

export type Core = ReturnType<typeof createCore>;
