import { Redis } from 'ioredis';
import postgres from 'postgres';
import { ConfigError } from '../config.js';

/** Network failures worth waiting out (a database still booting, a container not yet up). */
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
]);

export interface Service {
  /** PostgreSQL, Redis. */
  name: string;
  /** The variable that names its address, for the message. */
  variable: string;
  /** The address without credentials. */
  address: string;
  /** Resolves once the service answers; rejects with the connection error otherwise. */
  probe(): Promise<void>;
}

export interface WaitOptions {
  /** Give up after this long (default 30 s). */
  budgetMs?: number;
  /** First pause between attempts; doubles up to 5 s. */
  firstDelayMs?: number;
  /** One line per event: the first failure, the recovery, the final refusal. */
  say(line: string): void;
  sleep?: (ms: number) => Promise<void>;
}

/** `host:port/path` of a URL, never its user or password. */
export function addressOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? '6379' : '5432')}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

function codeOf(error: unknown): string {
  const e = error as { code?: string; errno?: string; message?: string };
  return e.code ?? e.errno ?? e.message ?? String(error);
}

/**
 * Waits until the service answers, with backoff, within a bounded time. Prints one line when it first
 * fails and one when it gives up (then throws a ConfigError, so the process exits non-zero), instead
 * of a log line per reconnection attempt. A refusal that waiting cannot fix (wrong password) fails at once.
 */
export async function waitForService(service: Service, options: WaitOptions): Promise<void> {
  const budgetMs = options.budgetMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const started = Date.now();
  let delay = options.firstDelayMs ?? 500;
  let attempts = 0;
  const where = `${service.name} at ${service.address} (${service.variable})`;
  for (;;) {
    attempts += 1;
    try {
      await service.probe();
      if (attempts > 1) options.say(`${where} answered after ${attempts} attempts`);
      return;
    } catch (error) {
      const code = codeOf(error);
      if (!TRANSIENT.has(code)) throw new ConfigError(`${where} refused the connection: ${code}`);
      const left = budgetMs - (Date.now() - started);
      if (left <= 0) {
        throw new ConfigError(
          `${where} is unreachable (${code}) after ${attempts} attempts in ${Math.round((Date.now() - started) / 1000)} s; is it running? Giving up.`,
        );
      }
      if (attempts === 1) {
        options.say(`${where} is unreachable (${code}); retrying for up to ${Math.round(budgetMs / 1000)} s`);
      }
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/** Connects to the server's `postgres` database (ours may not exist yet: start-up creates it). */
export function postgresService(databaseUrl: string): Service {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  return {
    name: 'PostgreSQL',
    variable: 'DATABASE_URL',
    address: addressOf(databaseUrl),
    async probe() {
      const sql = postgres(admin.toString(), { max: 1, connect_timeout: 5, onnotice: () => {} });
      try {
        await sql`SELECT 1`;
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}

export function redisService(redisUrl: string): Service {
  return {
    name: 'Redis',
    variable: 'REDIS_URL',
    address: addressOf(redisUrl),
    async probe() {
      const redis = new Redis(redisUrl, {
        lazyConnect: true,
        connectTimeout: 5_000,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      // connect() rejects with a bare "Connection is closed"; the cause (ECONNREFUSED...) comes as an event.
      let cause: unknown;
      redis.on('error', (error) => {
        cause ??= error;
      });
      try {
        await redis.connect();
        await redis.ping();
      } catch (error) {
        throw cause ?? error;
      } finally {
        redis.disconnect();
      }
    },
  };
}
