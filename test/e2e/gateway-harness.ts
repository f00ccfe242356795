import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ApiKeyScope } from '../../core/accounts/index.js';
import { idrToMrp } from '../../core/ledger/index.js';
import type { Clock } from '../../core/ports/clock.js';
import { FAKE_ANTHROPIC_KEY, type FakeAnthropic, startFakeAnthropic } from '../fakes/anthropic.js';
import { FAKE_DEEPSEEK_KEY, type FakeDeepSeek, startFakeDeepSeek } from '../fakes/deepseek.js';
import { FAKE_GEMINI_KEY, type FakeGemini, startFakeGemini } from '../fakes/gemini.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The real application (config, container, HTTP) listening on a free port, with every chat upstream
 * pointed at its fake: OpenAI is gpt-4o-mini's first route and a keyless OpenAI-compatible fake its
 * second, so failover can be driven from the tests.
 */
export interface GatewayHarness {
  t: TestApp;
  url: string;
  openai: FakeOpenAI;
  /** The self-hosted (openai-compatible) upstream: gpt-4o-mini's second route. */
  local: FakeOpenAI;
  anthropic: FakeAnthropic;
  gemini: FakeGemini;
  deepseek: FakeDeepSeek;
  /** A new account with this balance (rupiah) and a key (all scopes unless given). */
  account(balanceIdr: number | string, scopes?: ApiKeyScope[]): Promise<{ accountId: string; key: string }>;
  balanceMrp(accountId: string): Promise<bigint>;
  openaiClient(key: string): OpenAI;
  anthropicClient(key: string): Anthropic;
  close(): Promise<void>;
}

export async function startGatewayHarness(
  options: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<GatewayHarness> {
  const [openai, local, anthropic, gemini, deepseek] = await Promise.all([
    startFakeOpenAI(),
    startFakeOpenAI({ apiKey: null }),
    startFakeAnthropic(),
    startFakeGemini(),
    startFakeDeepSeek(),
  ]);
  const t = await createTestApp({
    ...(options.clock ? { clock: options.clock } : {}),
    env: {
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      LOCAL_OPENAI_BASE_URL: `${local.url}/v1`,
      ANTHROPIC_API_KEY: FAKE_ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: anthropic.url,
      GEMINI_API_KEY: FAKE_GEMINI_KEY,
      GEMINI_BASE_URL: gemini.url,
      DEEPSEEK_API_KEY: FAKE_DEEPSEEK_KEY,
      DEEPSEEK_BASE_URL: deepseek.url,
      UPSTREAM_FIRST_BYTE_TIMEOUT_MS: '1500',
      UPSTREAM_IDLE_TIMEOUT_MS: '1500',
      BREAKER_FAILURE_THRESHOLD: '1000',
      ...options.env,
    },
  });
  const url = await t.listen();
  const { core } = t.container;
  return {
    t,
    url,
    openai,
    local,
    anthropic,
    gemini,
    deepseek,
    async account(balanceIdr, scopes) {
      const [row] = await core.db.sql<{ id: string }[]>`INSERT INTO accounts DEFAULT VALUES RETURNING id`;
      const accountId = row!.id;
      const amount = idrToMrp(balanceIdr);
      if (amount > 0n) {
        await core.ledger.credit('topup', {
          accountId,
          amountMrp: amount,
          idempotencyKey: `test-topup:${accountId}`,
        });
      }
      const { secret } = await core.apiKeys.create(accountId, {
        name: 'test',
        ...(scopes ? { scopes } : {}),
      });
      return { accountId, key: secret };
    },
    async balanceMrp(accountId) {
      return (await core.ledger.balance(accountId)).balanceMrp;
    },
    openaiClient: (key) => new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 }),
    anthropicClient: (key) => new Anthropic({ apiKey: key, baseURL: url, maxRetries: 0 }),
    async close() {
      await t.close();
      await Promise.all([openai, local, anthropic, gemini, deepseek].map((f) => f.close()));
    },
  };
}

/** Words, as the fakes count tokens. */
export function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
