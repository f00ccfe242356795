import { ErrorCode, type WebClient } from '@slack/web-api';
import { realScheduler, type Scheduler } from '../shared/scheduler.js';

export interface SlackUpload {
  filename: string;
  data: Uint8Array;
  title?: string;
  altText?: string;
}

/**
 * Shares generated files in the thread, with one comment (e.g. the cost caption), through the
 * v2 upload flow (getUploadURLExternal, the upload itself, completeUploadExternal). A 429 is
 * waited out and the whole upload retried: files uploaded but never completed are not shown,
 * so a retry cannot post duplicates.
 */
export async function uploadSlackFiles(
  client: WebClient,
  target: { channel: string; threadTs?: string },
  files: SlackUpload[],
  comment: string | undefined,
  options: { scheduler?: Scheduler; maxAttempts?: number } = {},
): Promise<void> {
  if (files.length === 0) return;
  const scheduler = options.scheduler ?? realScheduler;
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.filesUploadV2({
        channel_id: target.channel,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
        ...(comment ? { initial_comment: comment } : {}),
        file_uploads: files.map((f) => ({
          file: Buffer.from(f.data),
          filename: f.filename,
          ...(f.title ? { title: f.title } : {}),
          ...(f.altText ? { alt_text: f.altText } : {}),
        })),
      });
      return;
    } catch (error) {
      const coded = error as { code?: string; retryAfter?: number };
      if (coded?.code !== ErrorCode.RateLimitedError || attempt >= maxAttempts) throw error;
      await scheduler.sleep((coded.retryAfter ?? 1) * 1000);
    }
  }
}

/** The prompt of an `app_mention` or DM text: mentions of the bot removed, whitespace tidied. */
export function promptFromSlackText(text: string, botUserId: string): string {
  return text
    .replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
