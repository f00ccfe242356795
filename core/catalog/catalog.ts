import { readFileSync } from 'node:fs';
import { CoreError } from '../errors.js';
import { idrToMrp } from '../ledger/money.js';
import { type CatalogFile, type CatalogProvider, catalogSchema } from './catalog-schema.js';

export interface RouteInput {
  nodeId: string;
  fieldName: string;
  multiplier?: number;
}

export interface CatalogRoute {
  provider: CatalogProvider;
  /** The upstream's own model id (absent for workflow providers). */
  model?: string;
  workflowId?: string;
  inputs?: Record<string, RouteInput>;
}

interface ModelBase {
  id: string;
  name: string;
  /** When the deployment began offering it (the catalog's `created`), if the catalog says. */
  created?: Date;
  routes: CatalogRoute[];
  /** Routes whose provider is configured on this deployment, in catalog order. */
  activeRoutes: CatalogRoute[];
}

export interface ChatModel extends ModelBase {
  kind: 'chat';
  maxOutputTokens: number;
  contextWindow: number;
  vision: boolean;
  tools: boolean;
  price: {
    inputPerMTokMrp: bigint;
    outputPerMTokMrp: bigint;
    cachedInputPerMTokMrp?: bigint;
    cacheWritePerMTokMrp?: bigint;
    cacheWrite1hPerMTokMrp?: bigint;
  };
}

/** A text-embedding model: billed per input token, one vector per input. */
export interface EmbeddingModel extends ModelBase {
  kind: 'embedding';
  maxInputTokens: number;
  dimensions: number;
  adjustableDimensions: boolean;
  price: { inputPerMTokMrp: bigint };
}

export interface ImageModel extends ModelBase {
  kind: 'image';
  sizes: string[];
  maxN: number;
  price: { perImageMrp: bigint };
}

export interface VideoModel extends ModelBase {
  kind: 'video';
  durations: number[];
  sizes: string[];
  price: { perVideoSecondMrp: bigint };
}

/** A speech-to-text model: billed per second of audio. */
export interface TranscriptionModel extends ModelBase {
  kind: 'transcription';
  maxSeconds: number;
  maxBytes: number;
  price: { perAudioSecondMrp: bigint };
}

export type CatalogModel = ChatModel | EmbeddingModel | ImageModel | VideoModel | TranscriptionModel;
export type ModelKind = CatalogModel['kind'];

export interface Catalog {
  /** Every model of the file, served or not. */
  all: CatalogModel[];
  /** Models with at least one configured provider: the ones listed and served. */
  served: CatalogModel[];
  defaults: { chat: string; image?: string; video?: string; transcription?: string };
  /** A served model by id, of the given kind, or `model_not_found`. */
  get<K extends ModelKind>(id: string, kind: K): Extract<CatalogModel, { kind: K }>;
  find(id: string): CatalogModel | undefined;
}

/** Formats zod issues as `models.3.price.input_per_mtok: price must not be negative`, one per line. */
function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `  ${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('\n');
}

/**
 * Validates a catalog (the shipped default or `CATALOG_FILE`) and converts its IDR prices exactly to
 * milli-rupiah. `configured` names the providers this deployment has credentials for.
 */
export function parseCatalog(input: unknown, configured: ReadonlySet<CatalogProvider>): Catalog {
  const parsed = catalogSchema.safeParse(input);
  if (!parsed.success)
    throw new CoreError('invalid_request', `Invalid catalog:\n${describeIssues(parsed.error.issues)}`);
  const file: CatalogFile = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const model of file.models) {
    if (seen.has(model.id)) problems.push(`  duplicate model id "${model.id}"`);
    seen.add(model.id);
  }
  const all = file.models.map((m): CatalogModel => {
    const routes = m.routes as CatalogRoute[];
    const base = {
      id: m.id,
      name: m.name ?? m.id,
      ...(m.created === undefined ? {} : { created: new Date(`${m.created}T00:00:00Z`) }),
      routes,
      activeRoutes: routes.filter((r) => configured.has(r.provider)),
    };
    if (m.kind === 'chat') {
      return {
        ...base,
        kind: 'chat',
        maxOutputTokens: m.max_output_tokens,
        contextWindow: m.context_window,
        vision: m.vision,
        tools: m.tools,
        price: {
          inputPerMTokMrp: idrToMrp(m.price.input_per_mtok),
          outputPerMTokMrp: idrToMrp(m.price.output_per_mtok),
          ...(m.price.cached_input_per_mtok === undefined
            ? {}
            : { cachedInputPerMTokMrp: idrToMrp(m.price.cached_input_per_mtok) }),
          ...(m.price.cache_write_per_mtok === undefined
            ? {}
            : { cacheWritePerMTokMrp: idrToMrp(m.price.cache_write_per_mtok) }),
          ...(m.price.cache_write_1h_per_mtok === undefined
            ? {}
            : { cacheWrite1hPerMTokMrp: idrToMrp(m.price.cache_write_1h_per_mtok) }),
        },
      };
    }
    if (m.kind === 'embedding') {
      return {
        ...base,
        kind: 'embedding',
        maxInputTokens: m.max_input_tokens,
        dimensions: m.dimensions,
        adjustableDimensions: m.adjustable_dimensions,
        price: { inputPerMTokMrp: idrToMrp(m.price.input_per_mtok) },
      };
    }
    if (m.kind === 'image') {
      return {
        ...base,
        kind: 'image',
        sizes: m.sizes,
        maxN: m.max_n,
        price: { perImageMrp: idrToMrp(m.price.per_image) },
      };
    }
    if (m.kind === 'transcription') {
      return {
        ...base,
        kind: 'transcription',
        maxSeconds: m.max_seconds,
        maxBytes: m.max_bytes,
        price: { perAudioSecondMrp: idrToMrp(m.price.per_audio_second) },
      };
    }
    return {
      ...base,
      kind: 'video',
      durations: m.durations,
      sizes: m.sizes,
      price: { perVideoSecondMrp: idrToMrp(m.price.per_video_second) },
    };
  });
  for (const [kind, id] of Object.entries(file.defaults)) {
    if (id === undefined) continue;
    const model = all.find((m) => m.id === id);
    if (!model) problems.push(`  defaults.${kind}: points at missing model "${id}"`);
    else if (model.kind !== kind) problems.push(`  defaults.${kind}: "${id}" is a ${model.kind} model`);
  }
  if (problems.length > 0) throw new CoreError('invalid_request', `Invalid catalog:\n${problems.join('\n')}`);

  const served = all.filter((m) => m.activeRoutes.length > 0);
  const byId = new Map(served.map((m) => [m.id, m]));
  return {
    all,
    served,
    defaults: file.defaults,
    find: (id) => byId.get(id),
    get(id, kind) {
      const model = byId.get(id);
      if (!model || model.kind !== kind) {
        throw new CoreError('model_not_found', `The model "${id}" does not exist or is not available`);
      }
      return model as never;
    },
  };
}

export const DEFAULT_CATALOG_PATH = new URL('./default-catalog.json', import.meta.url);

/** Reads and validates a catalog file; the shipped default when no path is given. */
export function loadCatalog(
  path: string | URL | undefined,
  configured: ReadonlySet<CatalogProvider>,
): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path ?? DEFAULT_CATALOG_PATH, 'utf8'));
  } catch (error) {
    throw new CoreError(
      'invalid_request',
      `Cannot read catalog ${String(path ?? 'default')}: ${(error as Error).message}`,
    );
  }
  return parseCatalog(json, configured);
}
