import { createGeminiImageProvider } from './gemini/image-provider.js';
import type { ImageProvider, TaskProvider } from './media-contract.js';
import { createOpenAIImageProvider } from './openai/image-provider.js';
import { createOpenAIVideoProvider } from './openai/video-provider.js';
import { createRunningHubTaskProvider } from './runninghub/task-provider.js';
import type { HttpClient } from './shared/http.js';

/** The public surface for media providers: image generation and edits, and asynchronous tasks (video). */

export type {
  ImageEditRequest,
  ImageGenerationRequest,
  ImageProvider,
  ImageResult,
  ImageUsage,
  MediaFile,
  MediaProviderId,
  NodeField,
  TaskInputName,
  TaskOutput,
  TaskProvider,
  TaskRequest,
  TaskState,
  TaskStatus,
  WorkflowRoute,
} from './media-contract.js';
export {
  contentRefused,
  imageContentType,
  isContentRefusal,
  MEDIA_PROVIDER_IDS,
  TASK_INPUT_NAMES,
} from './media-contract.js';
export { parseRunningHubWebhook, type RunningHubWebhookEvent } from './runninghub/webhook.js';

export interface MediaUpstreamConfig {
  apiKey: string;
  /** Defaults: OpenAI `https://api.openai.com/v1`, Gemini `https://generativelanguage.googleapis.com`,
   * RunningHub `https://www.runninghub.ai`. */
  baseUrl?: string;
  /** Longest wait for response headers (image models can take minutes). */
  timeoutMs?: number;
}

/** One entry per upstream; an absent entry or an empty key means "not configured". */
export interface MediaProvidersConfig {
  openai?: MediaUpstreamConfig;
  gemini?: MediaUpstreamConfig;
  runninghub?: MediaUpstreamConfig;
}

export interface MediaProviders {
  images: { openai?: ImageProvider; gemini?: ImageProvider };
  /** `openai` (Sora) is built whenever OpenAI is configured; only catalog routes decide whether it is used. */
  tasks: { runninghub?: TaskProvider; openai?: TaskProvider };
}

export const DEFAULT_MEDIA_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  gemini: 'https://generativelanguage.googleapis.com',
  runninghub: 'https://www.runninghub.ai',
} as const;

/**
 * Builds only the configured providers, all sharing one pooled HTTP client. `now` (milliseconds since
 * the epoch) times how long a RunningHub task may report a status we do not know.
 */
export function createMediaProviders(
  config: MediaProvidersConfig,
  http: HttpClient,
  now: () => number = Date.now,
): MediaProviders {
  const providers: MediaProviders = { images: {}, tasks: {} };
  const { openai, gemini, runninghub } = config;
  if (openai?.apiKey) {
    providers.images.openai = createOpenAIImageProvider({
      baseUrl: openai.baseUrl ?? DEFAULT_MEDIA_BASE_URLS.openai,
      apiKey: openai.apiKey,
      http,
      ...(openai.timeoutMs === undefined ? {} : { timeoutMs: openai.timeoutMs }),
    });
    providers.tasks.openai = createOpenAIVideoProvider({
      baseUrl: openai.baseUrl ?? DEFAULT_MEDIA_BASE_URLS.openai,
      apiKey: openai.apiKey,
      http,
    });
  }
  if (gemini?.apiKey) {
    providers.images.gemini = createGeminiImageProvider({
      baseUrl: gemini.baseUrl ?? DEFAULT_MEDIA_BASE_URLS.gemini,
      apiKey: gemini.apiKey,
      http,
      ...(gemini.timeoutMs === undefined ? {} : { timeoutMs: gemini.timeoutMs }),
    });
  }
  if (runninghub?.apiKey) {
    providers.tasks.runninghub = createRunningHubTaskProvider({
      baseUrl: runninghub.baseUrl ?? DEFAULT_MEDIA_BASE_URLS.runninghub,
      apiKey: runninghub.apiKey,
      http,
      now,
    });
  }
  return providers;
}
