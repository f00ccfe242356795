import { contentRefused, type TaskStatus } from '../media-contract.js';
import { ProviderError, providerProtocolError } from '../shared/errors.js';
import { count, isObject, str } from '../shared/wire.js';

/** Error codes of a failed video that mean a safety refusal (not billed). GUESS beyond the image codes. */
const SAFETY_CODES = new Set([
  'moderation_blocked',
  'content_policy_violation',
  'input_moderation',
  'output_moderation',
]);

/**
 * A `VideoResource` (`{id, object:"video", status, progress, error}`) as our task status. The output
 * of a completed video is its `/videos/{id}/content` URL, fetched with our key.
 */
export function taskStatusFromVideo(body: unknown, contentUrl: (id: string) => string): TaskStatus {
  if (!isObject(body) || typeof body.id !== 'string')
    throw providerProtocolError('openai', 'video answer has no id');
  const progress = count(body.progress);
  const withProgress = progress === undefined ? {} : { progress: Math.min(progress, 100) };
  switch (str(body.status)) {
    case 'queued':
      return { status: 'queued', ...withProgress };
    case 'in_progress':
      return { status: 'running', ...withProgress };
    case 'completed':
      return { status: 'succeeded', progress: 100, outputs: [{ url: contentUrl(body.id), fileType: 'mp4' }] };
    case 'failed': {
      const error = isObject(body.error) ? body.error : {};
      const code = str(error.code) ?? 'failed';
      if (SAFETY_CODES.has(code)) return { status: 'failed', error: contentRefused('openai', code) };
      return {
        status: 'failed',
        error: new ProviderError('upstream_error', `openai video failed: ${str(error.message) ?? code}`, {
          provider: 'openai',
          retryable: false,
          upstreamType: code,
        }),
      };
    }
    default:
      throw providerProtocolError('openai', `unknown video status ${JSON.stringify(body.status ?? null)}`);
  }
}
