import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../core/catalog/index.js';
import { parseConfig } from './config.js';
import { configuredProviders } from './container.js';
import { startupSummary } from './startup-summary.js';

function summarize(env: Record<string, string>) {
  const config = parseConfig(env);
  return startupSummary(config, loadCatalog(undefined, configuredProviders(config)), [
    'api',
    'workers',
    'bots',
  ]);
}

describe('start-up summary', () => {
  it('says plainly that nothing is served when no provider is configured', () => {
    const { lines, warnings } = summarize({});
    expect(lines.some((l) => l.includes('models:'))).toBe(false);
    expect(warnings.join('\n')).toMatch(/no provider is configured.*OPENAI_API_KEY/);
    expect(warnings.join('\n')).toMatch(/JWT_SECRET is unset/);
    expect(lines).toContain('top-ups: none (credit by hand: npm run cli -- credit)');
  });

  it('lists served models with their providers, bots with their mode, top-ups and storage', () => {
    const { lines, warnings } = summarize({
      JWT_SECRET: 'x'.repeat(32),
      OPENAI_API_KEY: 'sk-test',
      TELEGRAM_BOT_TOKEN: '1:abc',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'signing',
      BANK_ACCOUNTS: 'BCA:123:PT X',
      MOOTA_WEBHOOK_SECRET: 'moota',
      S3_BUCKET: 'media',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    const text = lines.join('\n');
    expect(text).toMatch(/chat models: .*\(openai\)/);
    expect(text).toMatch(/image models: .*\(openai\)/);
    expect(text).toContain('Telegram (long polling)');
    expect(text).toContain('Slack (events at /slack/events)');
    expect(text).toMatch(/top-ups: bank transfer to BCA \(Moota webhook\), Telegram Stars/);
    expect(text).toContain('storage: S3 bucket media');
    // Webhooks on a loopback http address: a warning, not silence.
    expect(warnings.join('\n')).toMatch(
      /PUBLIC_URL is http:\/\/localhost:8080: platforms deliver webhooks only/,
    );
    expect(warnings.join('\n')).not.toMatch(/JWT_SECRET/);
  });

  it('warns about every half-configured feature', () => {
    const { warnings } = summarize({
      SLACK_BOT_TOKEN: 'xoxb-1',
      DISCORD_APPLICATION_ID: '42',
      BANK_ACCOUNTS: 'BCA:123:PT X',
      TELEGRAM_WEBHOOK_SECRET: 'only-the-secret',
    });
    const text = warnings.join('\n');
    expect(text).toContain('SLACK_SIGNING_SECRET is unset');
    expect(text).toContain('DISCORD_PUBLIC_KEY is unset');
    expect(text).toContain('DISCORD_BOT_TOKEN is unset');
    expect(text).toContain('BANK_ACCOUNTS is set but MOOTA_WEBHOOK_SECRET is not');
    expect(text).toContain('TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_BOT_TOKEN is not');
  });

  it('warns that the bots offer no bank transfer when BANK_ACCOUNTS is unset', () => {
    const withBots = summarize({ JWT_SECRET: 'x'.repeat(32), TELEGRAM_BOT_TOKEN: '1:abc' });
    expect(withBots.warnings.join('\n')).toMatch(/BANK_ACCOUNTS is unset: the bots offer no bank transfer/);
    const withBanks = summarize({
      JWT_SECRET: 'x'.repeat(32),
      TELEGRAM_BOT_TOKEN: '1:abc',
      BANK_ACCOUNTS: 'BCA:123:PT X',
      MOOTA_WEBHOOK_SECRET: 'moota',
    });
    expect(withBanks.warnings.join('\n')).not.toMatch(/BANK_ACCOUNTS is unset/);
  });
});
