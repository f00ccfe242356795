import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_PATH, loadCatalog, parseCatalog } from './catalog.js';
import { PROVIDERS } from './catalog-schema.js';

const all = new Set(PROVIDERS);
const shipped = () => JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, 'utf8'));

describe('catalog', () => {
  it('loads the shipped default with exact milli-rupiah prices', () => {
    const catalog = loadCatalog(undefined, all);
    const mini = catalog.get('gpt-4o-mini', 'chat');
    expect(mini.price).toEqual({
      inputPerMTokMrp: 2_500_000n,
      outputPerMTokMrp: 10_000_000n,
      cachedInputPerMTokMrp: 1_250_000n,
    });
    expect(catalog.get('gemini-3.1-pro', 'chat').price.cachedInputPerMTokMrp).toBe(3_300_000n);
    expect(catalog.get('gpt-image-2', 'image').price.perImageMrp).toBe(700_000n);
    expect(catalog.get('wan-2.2', 'video').durations).toEqual([5, 10]);
    expect(catalog.get('gemini-embedding-001', 'embedding')).toMatchObject({
      maxInputTokens: 2048,
      dimensions: 3072,
      adjustableDimensions: true,
      price: { inputPerMTokMrp: 2_475_000n },
    });
  });

  it('serves only models with a configured provider, routes in catalog order', () => {
    const catalog = loadCatalog(undefined, new Set(['openai-compatible'] as const));
    expect(catalog.served.map((m) => m.id)).toEqual(['gpt-4o-mini', 'local-llm', 'local-embedding']);
    expect(catalog.get('gpt-4o-mini', 'chat').activeRoutes).toEqual([
      { provider: 'openai-compatible', model: 'qwen2.5-7b-instruct' },
    ]);
    expect(() => catalog.get('claude-sonnet-4.5', 'chat')).toThrow(/not available/);
    expect(() => catalog.get('gpt-image-2', 'chat')).toThrow(/not available/);
  });

  it('reports every problem clearly', () => {
    const bad = shipped();
    bad.models[0].routes[0].provider = 'openia';
    bad.models[1].price.input_per_mtok = -1;
    expect(() => parseCatalog(bad, all)).toThrow(
      /models\.0\.routes\.0\.provider: unknown provider "openia"[\s\S]*models\.1\.price\.input_per_mtok: price must not be negative/,
    );

    const dup = shipped();
    dup.models.push({ ...dup.models[0] });
    dup.defaults.chat = 'nope';
    expect(() => parseCatalog(dup, all)).toThrow(
      /duplicate model id "gpt-4o-mini"[\s\S]*defaults\.chat: points at missing model "nope"/,
    );

    const wrongKind = shipped();
    wrongKind.defaults.image = 'gpt-4o-mini';
    expect(() => parseCatalog(wrongKind, all)).toThrow(/defaults\.image: "gpt-4o-mini" is a chat model/);
  });

  it('refuses prices with more than three decimals of a rupiah', () => {
    const bad = shipped();
    bad.models[0].price.output_per_mtok = '1.23456';
    expect(() => parseCatalog(bad, all)).toThrow(/three decimals/);
  });
});
