/**
 * Images, image edits and video for every channel (`core.media` when storage and media providers
 * are configured). Submit (`submitImage`, `submitImageEdit`, `submitVideo`) validates, holds the
 * price and queues the job; then `wait` (synchronous callers), `get` (polling), or the delivery task
 * (`media.deliver` on the delivery queue, for jobs of bot channels) hands back the finished job.
 * `readFile`, `preview` and `fileUrl` give its outputs. `runner` holds the worker steps.
 */
export { FILES_PATH } from './file-links.js';
export { type MediaOptions, type MediaPorts, QUEUE_TASKS } from './media-deps.js';
export type { UploadedImage } from './media-files.js';
export type { MediaKind, StoredOutput } from './media-jobs.js';
export { DEFAULT_PROMPT_LIMIT, MAX_EDIT_IMAGES, parseSize } from './media-request.js';
export type { GenerateTask, MediaRunner, PollTask } from './media-runner.js';
export {
  createMediaService,
  type ImageEditSubmit,
  type ImageSubmit,
  type MediaJob,
  type MediaService,
  type SubmitBase,
  type VideoSubmit,
} from './media-service.js';
