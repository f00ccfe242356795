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
