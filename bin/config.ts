import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const optionalUrl = z.url().optional();
const optionalText = z.string().min(1).optional();
const rupiah = z.coerce.number().int().nonnegative();

/** Every environment variable the application reads, with its default. `.env.example` documents each. */
const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  // Unset: loopback in development and tests, every interface in production (containers publish ports).
  HOST: z.string().min(1).optional(),
  // Unset: http://localhost:PORT (links work on this machine only).
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/aiport'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  // How long start-up waits for PostgreSQL and Redis to answer before giving up.
  CONNECT_RETRY_SECONDS: z.coerce.number().min(0).max(600).default(30),
  // Namespaces every Redis key (queues, bot state, limits) so deployments sharing one Redis never meet.
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -')
    .default('aiport'),
  DATA_DIR: z.string().default('./data'),
  S3_ENDPOINT: optionalUrl,
  S3_REGION: z.string().default('auto'),
  S3_BUCKET: optionalText,
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: z.stringbool().default(true),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CATALOG_FILE: optionalText,
  SMTP_URL: optionalUrl,
  // Bearer token that `GET /metrics` requires; unset, /metrics is not served at all.
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  MAIL_FROM: z.string().default('AIport <no-reply@aiport.id>'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z.url().default('https://api.openai.com/v1'),
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: z.url().default('https://api.anthropic.com'),
  GEMINI_API_KEY: optionalText,
  GEMINI_BASE_URL: z.url().default('https://generativelanguage.googleapis.com'),
  DEEPSEEK_API_KEY: optionalText,
  DEEPSEEK_BASE_URL: z.url().default('https://api.deepseek.com'),
  RUNNINGHUB_API_KEY: optionalText,
  RUNNINGHUB_BASE_URL: z.url().default('https://www.runninghub.ai'),
  LOCAL_OPENAI_BASE_URL: optionalUrl,
  LOCAL_OPENAI_API_KEY: optionalText,
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ -')
    .optional(),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
    .optional(),
  DISCORD_BOT_TOKEN: optionalText,
  DISCORD_API_BASE: z.url().default('https://discord.com/api'),
  MOOTA_WEBHOOK_SECRET: optionalText,
  MOOTA_API_TOKEN: optionalText,
  MOOTA_BASE_URL: z.url().default('https://app.moota.co'),
  BANK_ACCOUNTS: z.string().default(''),
  TOPUP_MIN_IDR: rupiah.default(10_000),
  TOPUP_MAX_IDR: rupiah.default(50_000_000),
  TOPUP_EXPIRY_HOURS: z.coerce.number().positive().default(24),
  STARS_IDR_PER_STAR: rupiah.default(250),
  WELCOME_CREDIT_IDR: rupiah.default(0),
  RATE_LIMIT_RPM: z.coerce.number().int().positive().default(600),
  RATE_LIMIT_TPM: z.coerce.number().int().positive().default(2_000_000),
  UPSTREAM_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  UPSTREAM_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  CHAT_DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  CHAT_MAX_ANSWER_MS: z.coerce.number().int().min(1_000).default(2_700_000),
  BREAKER_FAILURE_THRESHOLD: z.coerce.number().int().positive().default(5),
  BREAKER_COOLDOWN_MS: z.coerce.number().int().positive().default(30_000),
  // How often a running video (or async image) task is polled at its upstream.
  MEDIA_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(5_000),
  // A worker's lock on a running task: a task whose worker died is taken over after about this long.
  WORKER_LOCK_MS: z.coerce.number().int().min(500).default(30_000),
  ALLOWED_BOT_MODELS: z.string().default(''),
  // Proxies whose X-Forwarded-For is believed: addresses/CIDRs (comma-separated) or a hop count.
  TRUSTED_PROXIES: z.string().default(''),
});

export type Environment = z.infer<typeof environment>;

/** The name of every variable the configuration reads (`.env.example` documents each). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(environment.shape);

export interface BankAccount {
  bank: string;
  number: string;
  holder: string;
}

export interface Config extends Environment {
  HOST: string;
  PUBLIC_URL: string;
  JWT_SECRET: string;
  bankAccounts: BankAccount[];
  allowedBotModels: string[];
  isProduction: boolean;
  /** JWT_SECRET was unset (development): a random one lives as long as the process. */
  jwtSecretGenerated: boolean;
  /** From TRUSTED_PROXIES: false (believe no forwarding header), a hop count, or addresses/CIDRs. */
  trustedProxies: false | number | string[];
}

/** `BCA:1234567890:PT AIport Indonesia;Mandiri:...` */
function parseBankAccounts(text: string): BankAccount[] | string {
  if (!text.trim()) return [];
  const accounts: BankAccount[] = [];
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [bank, number, ...holder] = part.split(':');
    if (!bank || !number || holder.length === 0 || !/^[0-9-]+$/.test(number)) {
      return `"${part}" is not BANK:NUMBER:HOLDER`;
    }
    accounts.push({ bank: bank.trim(), number: number.trim(), holder: holder.join(':').trim() });
  }
  return accounts;
}

/** `2` (hops) or `10.0.0.0/8, 127.0.0.1` (addresses and CIDRs); empty believes no forwarding header. */
export function parseTrustedProxies(text: string): false | number | string[] | string {
  const trimmed = text.trim();
  if (!trimmed) return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = entries.find((p) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p));
  return bad ? `"${bad}" is not an address, a CIDR or a hop count` : entries;
}

export class ConfigError extends Error {}

/**
 * Parses the environment once. Every problem is collected into one message naming the variables,
 * so a misconfigured deployment is fixed in one go rather than one restart per mistake.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = environment.safeParse(cleaned);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  const banks = parseBankAccounts(env.BANK_ACCOUNTS ?? '');
  if (typeof banks === 'string') problems.push(`  BANK_ACCOUNTS: ${banks}`);
  if (parsed.success) {
    const e = parsed.data;
    if (e.NODE_ENV === 'production' && !e.JWT_SECRET) problems.push('  JWT_SECRET: required in production');
    // Without a mailer, production could neither send verification links nor (safely) log them.
    if (e.NODE_ENV === 'production' && !e.SMTP_URL) problems.push('  SMTP_URL: required in production');
    if (e.NODE_ENV === 'production' && !e.PUBLIC_URL)
      problems.push('  PUBLIC_URL: required in production (the address in links and webhooks)');
    if (e.TOPUP_MIN_IDR > e.TOPUP_MAX_IDR) problems.push('  TOPUP_MIN_IDR: must not exceed TOPUP_MAX_IDR');
    const s3 = [e.S3_BUCKET, e.S3_ACCESS_KEY_ID, e.S3_SECRET_ACCESS_KEY];
    if (s3.some(Boolean) && !s3.every(Boolean)) {
      problems.push('  S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: set all three or none');
    }
    if (typeof parseTrustedProxies(e.TRUSTED_PROXIES) === 'string')
      problems.push(`  TRUSTED_PROXIES: ${parseTrustedProxies(e.TRUSTED_PROXIES)}`);
    if (e.DISCORD_PUBLIC_KEY && !e.DISCORD_APPLICATION_ID)
      problems.push('  DISCORD_APPLICATION_ID: required with DISCORD_PUBLIC_KEY');
  }
  if (problems.length > 0 || !parsed.success || typeof banks === 'string') {
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  return {
    ...e,
    HOST: e.HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    PUBLIC_URL: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    // Development without a secret still works; sessions then end when the process restarts.
    JWT_SECRET: e.JWT_SECRET ?? randomBytes(32).toString('hex'),
    bankAccounts: banks,
    allowedBotModels: e.ALLOWED_BOT_MODELS.split(',')
      .map((m) => m.trim())
      .filter(Boolean),
    isProduction: e.NODE_ENV === 'production',
    jwtSecretGenerated: !e.JWT_SECRET,
    trustedProxies: parseTrustedProxies(e.TRUSTED_PROXIES) as false | number | string[],
  };
}
