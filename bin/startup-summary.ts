import type { Catalog } from '../core/catalog/index.js';
import type { Config } from './config.js';

export type Role = 'api' | 'workers' | 'bots';

export interface Summary {
  /** What runs, one fact per line. */
  lines: string[];
  /** Every half-configured feature, with what to set. */
  warnings: string[];
}

const isLoopbackUrl = (url: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(new URL(url).hostname);

/**
 * What this process serves, from its configuration alone: printed at start-up so a newcomer sees at
 * once that, say, no provider is configured, instead of discovering it from a "model does not exist".
 */
export function startupSummary(
  config: Config,
  catalog: Catalog,
  roles: Role[],
  options: { envFile?: string; listening?: string } = {},
): Summary {
  const lines: string[] = [];
  const warnings: string[] = [];
  const warn = (text: string) => warnings.push(text);

  lines.push(`roles: ${roles.join(', ')}${options.listening ? ` (HTTP on ${options.listening})` : ''}`);
  lines.push(
    `configuration: ${options.envFile ?? 'environment only (no .env file)'}; NODE_ENV=${config.NODE_ENV}`,
  );
  lines.push(`public URL: ${config.PUBLIC_URL}`);

  if (catalog.served.length === 0) {
    warn(
      'no provider is configured, so /v1 serves no model: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, DEEPSEEK_API_KEY, RUNNINGHUB_API_KEY or LOCAL_OPENAI_BASE_URL (or run `npm run fakes`)',
    );
  }
  for (const kind of ['chat', 'image', 'video'] as const) {
    const models = catalog.served.filter((m) => m.kind === kind);
    if (models.length === 0) continue;
    const listed = models.map(
      (m) => `${m.id} (${[...new Set(m.activeRoutes.map((r) => r.provider))].join('+')})`,
    );
    lines.push(`${kind} models: ${listed.join(', ')}`);
  }

  const bots: string[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    bots.push(
      config.TELEGRAM_WEBHOOK_SECRET ? 'Telegram (webhook at /telegram/webhook)' : 'Telegram (long polling)',
    );
  } else if (config.TELEGRAM_WEBHOOK_SECRET)
    warn('TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_BOT_TOKEN is not');
  if (config.SLACK_BOT_TOKEN) {
    bots.push('Slack (events at /slack/events)');
    if (!config.SLACK_SIGNING_SECRET)
      warn('SLACK_SIGNING_SECRET is unset: /slack/events refuses every request');
  } else if (config.SLACK_SIGNING_SECRET) warn('SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not');
  if (config.DISCORD_APPLICATION_ID) {
    bots.push('Discord (interactions at /discord/interactions)');
    if (!config.DISCORD_PUBLIC_KEY)
      warn('DISCORD_PUBLIC_KEY is unset: /discord/interactions refuses every request');
    if (!config.DISCORD_BOT_TOKEN)
      warn('DISCORD_BOT_TOKEN is unset: the Discord bot cannot send follow-ups or register commands');
  } else if (config.DISCORD_BOT_TOKEN || config.DISCORD_PUBLIC_KEY) {
    warn('DISCORD_BOT_TOKEN or DISCORD_PUBLIC_KEY is set but DISCORD_APPLICATION_ID is not');
  }
  lines.push(`bots: ${bots.length > 0 && roles.includes('bots') ? bots.join(', ') : 'none'}`);
  const webhooks = Boolean(
    config.TELEGRAM_WEBHOOK_SECRET ||
      config.SLACK_BOT_TOKEN ||
      config.DISCORD_APPLICATION_ID ||
      config.MOOTA_WEBHOOK_SECRET,
  );
  if (webhooks && (!config.PUBLIC_URL.startsWith('https://') || isLoopbackUrl(config.PUBLIC_URL))) {
    warn(
      `PUBLIC_URL is ${config.PUBLIC_URL}: platforms deliver webhooks only to a public https:// address (fine with local fakes)`,
    );
  }

  const topups: string[] = [];
  if (config.bankAccounts.length > 0 && config.MOOTA_WEBHOOK_SECRET) {
    topups.push(
      `bank transfer to ${config.bankAccounts.map((a) => a.bank).join(', ')} (Moota webhook${config.MOOTA_API_TOKEN ? ' and polling' : ''})`,
    );
  } else if (config.bankAccounts.length > 0) {
    warn(
      'BANK_ACCOUNTS is set but MOOTA_WEBHOOK_SECRET is not: transfers would never be matched, so top-ups are off',
    );
  } else if (config.MOOTA_WEBHOOK_SECRET || config.MOOTA_API_TOKEN) {
    warn(
      'MOOTA_WEBHOOK_SECRET or MOOTA_API_TOKEN is set but BANK_ACCOUNTS is not: nobody knows where to transfer',
    );
  }
  if (config.bankAccounts.length === 0 && bots.length > 0 && roles.includes('bots')) {
    warn(
      'BANK_ACCOUNTS is unset: the bots offer no bank transfer on /topup (only Telegram Stars and vouchers)',
    );
  }
  if (config.TELEGRAM_BOT_TOKEN) topups.push(`Telegram Stars (Rp ${config.STARS_IDR_PER_STAR} per star)`);
  lines.push(
    `top-ups: ${topups.length > 0 ? topups.join(', ') : 'none (credit by hand: npm run cli -- credit)'}`,
  );

  lines.push(
    config.S3_BUCKET
      ? `storage: S3 bucket ${config.S3_BUCKET}${config.S3_ENDPOINT ? ` at ${new URL(config.S3_ENDPOINT).host}` : ''}`
      : `storage: local folder ${config.DATA_DIR}`,
  );
  lines.push(
    config.SMTP_URL
      ? `email: SMTP at ${new URL(config.SMTP_URL).host}`
      : 'email: none; verification and reset links are logged (development only)',
  );
  lines.push(
    `metrics: ${config.METRICS_TOKEN ? '/metrics with METRICS_TOKEN as bearer' : 'off (set METRICS_TOKEN)'}`,
  );
  if (config.jwtSecretGenerated) {
    warn('JWT_SECRET is unset: a random one is used, so sessions end when the process restarts');
  }
  return { lines, warnings };
}

/** The summary as printed: a heading, the facts, then each warning on a line of its own. */
export function formatSummary(summary: Summary): string {
  return [
    'AIport is running',
    ...summary.lines.map((l) => `  ${l}`),
    ...summary.warnings.map((w) => `  warning: ${w}`),
  ].join('\n');
}
