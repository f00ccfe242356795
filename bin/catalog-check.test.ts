import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../core/catalog/index.js';
import { FAKE_DEEPSEEK_KEY, type FakeDeepSeek, startFakeDeepSeek } from '../test/fakes/deepseek.js';
import { FAKE_GEMINI_KEY, type FakeGemini, startFakeGemini } from '../test/fakes/gemini.js';
import { checkConfiguredCatalog } from './catalog-check.js';
import { parseConfig } from './config.js';
import { configuredProviders } from './container.js';

/** The `catalog:check` command's wiring: configuration -> the configured providers' model lists. */
let gemini: FakeGemini;
let deepseek: FakeDeepSeek;

beforeAll(async () => {
  // A DeepSeek that no longer lists deepseek-v4-pro, as after a shutdown.
  [gemini, deepseek] = await Promise.all([
    startFakeGemini(),
    startFakeDeepSeek({ models: [{ id: 'deepseek-flash' }] }),
  ]);
});
afterAll(async () => {
  await Promise.all([gemini.close(), deepseek.close()]);
});

describe('checkConfiguredCatalog', () => {
  it('asks only the configured providers and reports what they no longer serve', async () => {
    const config = parseConfig({
      GEMINI_API_KEY: FAKE_GEMINI_KEY,
      GEMINI_BASE_URL: gemini.url,
      DEEPSEEK_API_KEY: FAKE_DEEPSEEK_KEY,
      DEEPSEEK_BASE_URL: deepseek.url,
    });
    const catalog = loadCatalog(config.CATALOG_FILE, configuredProviders(config));
    const findings = await checkConfiguredCatalog(config, catalog, '2026-12-03');
    expect(findings).toEqual([
      {
        modelId: 'deepseek-v4-pro',
        provider: 'deepseek',
        upstream: 'deepseek-v4-pro',
        problem: 'gone',
        detail: "not in deepseek's model list",
      },
    ]);
    expect(gemini.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1beta/models']);
  });
});
