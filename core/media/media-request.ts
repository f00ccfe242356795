import type { Catalog, CatalogRoute, ImageModel, VideoModel } from '../catalog/index.js';
import { CoreError } from '../errors.js';
import type { ImageGenerationRequest } from '../providers/media.js';

/**
 * Checks a media request against the catalog before anything is held, stored or queued, and
 * computes the worst-case price to hold. Every refusal is `invalid_request` (or `model_not_found`)
 * with the offending field in `details.param`, so the API answers a clear 4xx.
 */

/** Longest prompt per upstream model (OpenAI's published limits); everything else gets the default. */
const PROMPT_LIMITS: Record<string, number> = { 'dall-e-2': 1000, 'dall-e-3': 4000 };
export const DEFAULT_PROMPT_LIMIT = 32_000;
/** Input images per edit (OpenAI's limit for GPT image models). */
export const MAX_EDIT_IMAGES = 16;

export interface ImageParams {
  n: number;
  size: string;
  quality?: string;
  outputFormat?: 'png' | 'jpeg' | 'webp';
  background?: 'transparent' | 'opaque' | 'auto';
  style?: 'vivid' | 'natural';
}

export interface VideoParams {
  seconds: number;
  size: string;
}

export interface ResolvedImage {
  model: ImageModel;
  params: ImageParams;
  holdMrp: bigint;
}

export interface ResolvedVideo {
  model: VideoModel;
  params: VideoParams;
  holdMrp: bigint;
}

function invalid(message: string, param: string): CoreError {
  return new CoreError('invalid_request', message, { details: { param } });
}

/** The longest prompt the model's routes all accept. */
export function promptLimit(routes: CatalogRoute[]): number {
  return Math.min(
    DEFAULT_PROMPT_LIMIT,
    ...routes.map((r) =>
      r.model === undefined ? DEFAULT_PROMPT_LIMIT : (PROMPT_LIMITS[r.model] ?? DEFAULT_PROMPT_LIMIT),
    ),
  );
}

export function checkPrompt(prompt: unknown, routes: CatalogRoute[]): string {
  if (typeof prompt !== 'string' || prompt.trim().length === 0) {
    throw invalid('The prompt must be a non-empty string.', 'prompt');
  }
  const limit = promptLimit(routes);
  if (prompt.length > limit) {
    throw invalid(`The prompt is too long: ${prompt.length} characters, at most ${limit}.`, 'prompt');
  }
  return prompt;
}

/** The image options a caller may set; they pass through to the provider as they are. */
export type ImageOptions = Pick<
  ImageGenerationRequest,
  'n' | 'size' | 'quality' | 'outputFormat' | 'background' | 'style'
>;

export interface ImageInput extends ImageOptions {
  model?: string;
  prompt: unknown;
}

export function resolveImage(catalog: Catalog, input: ImageInput): ResolvedImage & { prompt: string } {
  const id = input.model ?? catalog.defaults.image;
  if (id === undefined) throw invalid('Name an image model: this deployment has no default.', 'model');
  const model = catalog.get(id, 'image');
  const prompt = checkPrompt(input.prompt, model.activeRoutes);
  const n = input.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > model.maxN) {
    throw invalid(`"n" must be an integer from 1 to ${model.maxN} for ${model.id}.`, 'n');
  }
  const size = input.size ?? model.sizes[0]!;
  if (!model.sizes.includes(size)) {
    throw invalid(`Unknown size "${size}" for ${model.id}; use one of ${model.sizes.join(', ')}.`, 'size');
  }
  const params: ImageParams = {
    n,
    size,
    ...(input.quality === undefined ? {} : { quality: input.quality }),
    ...(input.outputFormat === undefined ? {} : { outputFormat: input.outputFormat }),
    ...(input.background === undefined ? {} : { background: input.background }),
    ...(input.style === undefined ? {} : { style: input.style }),
  };
  return { model, params, prompt, holdMrp: model.price.perImageMrp * BigInt(n) };
}

export interface VideoInput {
  model?: string;
  prompt: unknown;
  seconds?: number;
  size?: string;
  hasImage: boolean;
}

export function resolveVideo(catalog: Catalog, input: VideoInput): ResolvedVideo & { prompt: string } {
  const id = input.model ?? catalog.defaults.video;
  if (id === undefined) throw invalid('Name a video model: this deployment has no default.', 'model');
  const model = catalog.get(id, 'video');
  const prompt = checkPrompt(input.prompt, model.activeRoutes);
  const seconds = input.seconds ?? model.durations[0]!;
  if (!model.durations.includes(seconds)) {
    throw invalid(
      `${model.id} makes videos of ${model.durations.join(' or ')} seconds, not ${seconds}.`,
      'seconds',
    );
  }
  const size = input.size ?? model.sizes[0]!;
  if (!model.sizes.includes(size)) {
    throw invalid(`Unknown size "${size}" for ${model.id}; use one of ${model.sizes.join(', ')}.`, 'size');
  }
  checkImageInput(model.activeRoutes[0]!, input.hasImage, 'input_reference');
  return {
    model,
    params: { seconds, size },
    prompt,
    holdMrp: model.price.perVideoSecondMrp * BigInt(seconds),
  };
}

/** A workflow route takes an input image only when it maps one; some (image-to-video) require it. */
export function checkImageInput(route: CatalogRoute, hasImage: boolean, param: string): void {
  if (route.provider !== 'runninghub') return;
  const mapsImage = route.inputs?.image !== undefined;
  if (hasImage && !mapsImage) throw invalid('This model does not take an input image.', param);
  if (!hasImage && mapsImage) throw invalid('This model needs an input image.', param);
}

/** `1024x1536` as numbers; undefined for `auto` or anything else. */
export function parseSize(size: string): { width: number; height: number } | undefined {
  const match = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : undefined;
}
