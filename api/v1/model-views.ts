import type { CatalogModel } from '../../core/catalog/index.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';

/** How catalog models look on `/v1/models` and `/pricing`: IDR prices and the providers that serve them. */

export const PROVIDER_NAMES: Record<string, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Google Gemini',
  deepseek: 'DeepSeek',
  runninghub: 'RunningHub',
  'openai-compatible': 'Self-hosted by AIport',
};

export function activeProviders(model: CatalogModel): string[] {
  return [...new Set(model.activeRoutes.map((r) => r.provider))];
}

export function priceView(model: CatalogModel): Record<string, number> {
  switch (model.kind) {
    case 'chat':
      return {
        input_per_mtok_idr: mrpToIdrNumber(model.price.inputPerMTokMrp),
        output_per_mtok_idr: mrpToIdrNumber(model.price.outputPerMTokMrp),
        ...(model.price.cachedInputPerMTokMrp === undefined
          ? {}
          : { cached_input_per_mtok_idr: mrpToIdrNumber(model.price.cachedInputPerMTokMrp) }),
        ...(model.price.cacheWritePerMTokMrp === undefined
          ? {}
          : { cache_write_per_mtok_idr: mrpToIdrNumber(model.price.cacheWritePerMTokMrp) }),
        ...(model.price.cacheWrite1hPerMTokMrp === undefined
          ? {}
          : { cache_write_1h_per_mtok_idr: mrpToIdrNumber(model.price.cacheWrite1hPerMTokMrp) }),
      };
    case 'embedding':
      return { input_per_mtok_idr: mrpToIdrNumber(model.price.inputPerMTokMrp) };
    case 'image':
      return { per_image_idr: mrpToIdrNumber(model.price.perImageMrp) };
    case 'video':
      return { per_video_second_idr: mrpToIdrNumber(model.price.perVideoSecondMrp) };
    case 'transcription':
      return { per_audio_second_idr: mrpToIdrNumber(model.price.perAudioSecondMrp) };
  }
}

/** The process start, in Unix seconds: `created` of a model whose catalog entry names no date. */
const STARTED = Math.floor(Date.now() / 1000);

/** Unix seconds: when the deployment began offering the model (catalog `created`), else the server's start. */
export function createdSeconds(model: CatalogModel): number {
  return model.created ? Math.floor(model.created.getTime() / 1000) : STARTED;
}

/** Anthropic's `ModelInfo`, for Anthropic clients listing models (`anthropic-version` sent). */
export function anthropicModelView(model: CatalogModel) {
  return {
    type: 'model',
    id: model.id,
    display_name: model.name,
    created_at: new Date(createdSeconds(model) * 1000).toISOString().replace('.000Z', 'Z'),
  };
}

export function modelView(model: CatalogModel) {
  return {
    id: model.id,
    object: 'model',
    created: createdSeconds(model),
    owned_by: 'aiport',
    kind: model.kind,
    name: model.name,
    price: priceView(model),
    providers: activeProviders(model),
    ...(model.kind === 'chat'
      ? {
          context_window: model.contextWindow,
          max_output_tokens: model.maxOutputTokens,
          vision: model.vision,
          tools: model.tools,
        }
      : model.kind === 'embedding'
        ? {
            dimensions: model.dimensions,
            adjustable_dimensions: model.adjustableDimensions,
            max_input_tokens: model.maxInputTokens,
          }
        : model.kind === 'image'
          ? { sizes: model.sizes, max_n: model.maxN }
          : model.kind === 'video'
            ? { sizes: model.sizes, durations: model.durations }
            : { max_seconds: model.maxSeconds, max_bytes: model.maxBytes }),
  };
}
