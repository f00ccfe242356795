import { CONTENT_TYPE_BY_FORMAT, sniffImageFormat } from '../ports/images.js';
import { ProviderError } from './shared/errors.js';

/**
 * The media provider contracts: synchronous image generation and edits (OpenAI, Gemini) and
 * asynchronous tasks (RunningHub workflows: submit, poll, fetch the outputs).
 *
 * Billing rules the contracts make possible:
 * - a safety refusal is a `ProviderError` with code `content_refused` (never retryable, never billed);
 * - callers bill per image actually returned in `images`, which may be fewer than `n` (Gemini makes one
 *   call per image and keeps the ones that succeeded).
 */

export const MEDIA_PROVIDER_IDS = ['openai', 'gemini', 'runninghub'] as const;
export type MediaProviderId = (typeof MEDIA_PROVIDER_IDS)[number];

export interface MediaFile {
  bytes: Buffer;
  contentType: string;
}

export interface ImageGenerationRequest {
  /** The upstream's own model id (the catalog route's `model`). */
  model: string;
  prompt: string;
  /** How many images; 1 when omitted. */
  n?: number;
  /** `WxH` or `auto`. */
  size?: string;
  /** `standard`/`hd` (dall-e-3), `low`/`medium`/`high`/`auto` (gpt-image). */
  quality?: string;
  outputFormat?: 'png' | 'jpeg' | 'webp';
  background?: 'transparent' | 'opaque' | 'auto';
  /** dall-e-3 only. */
  style?: 'vivid' | 'natural';
  /** Gemini's way to ask for a shape, e.g. `16:9`; derived from `size` when absent. */
  aspectRatio?: string;
  signal?: AbortSignal;
}

export interface ImageEditRequest extends ImageGenerationRequest {
  /** Sanitized input images (at least one). */
  images: MediaFile[];
  /** PNG whose transparent pixels mark the area to edit; same size as the first image. */
  mask?: MediaFile;
}

/** Token usage as reported by token-priced image models (gpt-image, Gemini); absent otherwise. */
export interface ImageUsage {
  inputTokens: number;
  outputTokens: number;
  /** The part of inputTokens that were image tokens, when reported. */
  inputImageTokens?: number;
}

export interface ImageResult {
  images: MediaFile[];
  usage?: ImageUsage;
  /** dall-e-3 rewrites prompts; Gemini may answer with text beside the image. */
  revisedPrompt?: string;
}

export interface ImageProvider {
  readonly id: MediaProviderId;
  /** Rejects with ProviderError; `content_refused` for safety refusals. */
  generate(request: ImageGenerationRequest): Promise<ImageResult>;
  edit(request: ImageEditRequest): Promise<ImageResult>;
}

/** A workflow node input: `nodeId` from the API-format workflow JSON, `fieldName` a key of its inputs. */
export interface NodeField {
  nodeId: string;
  fieldName: string;
  /**
   * For numeric inputs the workflow wants in other units (e.g. `seconds` as frames at 16 fps:
   * multiplier 16). The product is rounded to a whole number, as ComfyUI INT fields need.
   */
  multiplier?: number;
}

export const TASK_INPUT_NAMES = [
  'prompt',
  'negativePrompt',
  'image',
  'width',
  'height',
  'seconds',
  'seed',
] as const;
export type TaskInputName = (typeof TASK_INPUT_NAMES)[number];

/**
 * How a catalog route drives a workflow, e.g.
 * `{ workflowId: '1904...', inputs: { prompt: { nodeId: '6', fieldName: 'text' }, image: {...} } }`.
 * `fixed` values are sent on every run (e.g. a sampler's steps).
 */
export interface WorkflowRoute {
  workflowId: string;
  inputs: Partial<Record<TaskInputName, NodeField>>;
  fixed?: Array<{ nodeId: string; fieldName: string; fieldValue: string | number | boolean }>;
  /** RunningHub `plus` = 48 GB machines. */
  instanceType?: 'plus';
}

export interface TaskRequest {
  /** The upstream's model id (OpenAI `sora-2`); RunningHub is driven by `route` instead. */
  model?: string;
  /** RunningHub: how the catalog route drives the workflow (required there). */
  route?: WorkflowRoute;
  prompt: string;
  negativePrompt?: string;
  /** The input image for image-to-video (or image-to-image) workflows. */
  image?: MediaFile;
  width?: number;
  height?: number;
  seconds?: number;
  seed?: number;
  /** Where the upstream should announce the end of the task; we still confirm by polling. */
  webhookUrl?: string;
  signal?: AbortSignal;
}

export interface TaskOutput {
  url: string;
  /** As the upstream names it, e.g. `png`, `mp4`. */
  fileType: string;
}

export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed';

export interface TaskStatus {
  status: TaskState;
  /** 0..100 when the upstream reports it. */
  progress?: number;
  /** Present when succeeded. */
  outputs?: TaskOutput[];
  /** Present when failed; `content_refused` when the upstream blocked it for safety. */
  error?: ProviderError;
  /** Upstream cost facts for the job record (not our price). */
  upstreamCost?: { seconds?: number; money?: string; coins?: string };
}

export interface TaskProvider {
  readonly id: MediaProviderId;
  /**
   * Starts paid work upstream. Rejects with ProviderError (retryable for queue-full, not for bad
   * workflows or empty wallets) or CoreError('invalid_request') before any call for inputs the
   * model cannot take.
   */
  submit(request: TaskRequest): Promise<{ taskId: string }>;
  poll(taskId: string, signal?: AbortSignal): Promise<TaskStatus>;
  /** Downloads one output named by `poll`. */
  fetchOutput(url: string, signal?: AbortSignal): Promise<MediaFile>;
  cancel(taskId: string, signal?: AbortSignal): Promise<void>;
}

/** A safety refusal by the upstream: not retryable, and the caller must not bill it. */
export function contentRefused(provider: MediaProviderId, reason: string, status?: number): ProviderError {
  return new ProviderError(
    'content_refused',
    `${provider} refused the request for safety reasons (${reason}).`,
    {
      provider,
      retryable: false,
      upstreamType: reason,
      ...(status === undefined ? {} : { status }),
    },
  );
}

export function isContentRefusal(error: unknown): boolean {
  return error instanceof ProviderError && error.code === 'content_refused';
}

/** The content type the bytes really have, falling back to what the upstream claimed. */
export function imageContentType(bytes: Uint8Array, claimed?: string): string {
  const format = sniffImageFormat(bytes);
  if (format !== null) return CONTENT_TYPE_BY_FORMAT[format];
  return claimed ?? 'application/octet-stream';
}
