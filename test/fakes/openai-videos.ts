import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import { listenFake, parseMultipart, type RunningFake, sendJson } from './media-fake-server.js';
import { SAMPLE_MP4 } from './sample-video.js';

/**
 * A fake of OpenAI's Videos API (Sora): `POST /v1/videos` (JSON, or multipart with an
 * `input_reference` file), `GET /v1/videos/{id}` (a `VideoResource` that goes queued -> in_progress
 * -> completed, one step per poll), `GET /v1/videos/{id}/content?variant=video|thumbnail`
 * (`video/mp4` or `image/webp`) and `DELETE /v1/videos/{id}`. Checks the bearer key, `seconds`
 * ("4", "8", "12") and `size`. Faults: error statuses, and a video that fails with an error code
 * (e.g. `moderation_blocked`).
 */

export const FAKE_OPENAI_VIDEOS_KEY = 'sk-fake-openai-videos';

interface FakeVideo {
  id: string;
  model: string;
  prompt: string;
  seconds: string;
  size: string;
  status: 'queued' | 'in_progress' | 'completed' | 'failed';
  progress: number;
  failWith?: string;
  hadReference: boolean;
  createdAt: number;
}

export interface FakeOpenAIVideos extends RunningFake {
  videos: Map<string, FakeVideo>;
  /** The next request answers this HTTP status with an OpenAI error body. */
  failNext(status: number, code?: string): void;
  /** The next created video ends `failed` with this error code. */
  failNextVideo(code: string): void;
}

const SECONDS = ['4', '8', '12'];
const SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'];
export async function startFakeOpenAIVideos(options: { apiKey?: string } = {}): Promise<FakeOpenAIVideos> {
  const apiKey = options.apiKey ?? FAKE_OPENAI_VIDEOS_KEY;
  const videos = new Map<string, FakeVideo>();
  const failures: Array<{ status: number; code?: string }> = [];
  let nextVideoFailure: string | undefined;
  const thumbnail = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#222' } })
    .webp()
    .toBuffer();

  const error = (
    res: ServerResponse,
    status: number,
    message: string,
    code: string | null = null,
    param: string | null = null,
  ) =>
    sendJson(res, status, {
      error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param, code },
    });

  const server = await listenFake((req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return error(res, 401, 'Incorrect API key provided.', 'invalid_api_key');
    }
    const failure = failures.shift();
    if (failure !== undefined)
      return error(res, failure.status, `Fake failure ${failure.status}`, failure.code ?? null);

    if (req.method === 'POST' && url.pathname === '/v1/videos') {
      let fields: Record<string, string>;
      let hadReference = false;
      if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
        const parts = parseMultipart(raw, req.headers['content-type']);
        fields = Object.fromEntries(
          parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString()]),
        );
        hadReference = parts.some((p) => p.name === 'input_reference' && p.data.length > 0);
      } else {
        fields = JSON.parse(raw.toString('utf8')) as Record<string, string>;
      }
      if (typeof fields.prompt !== 'string' || fields.prompt === '') {
        return error(res, 400, "Missing required parameter: 'prompt'.", null, 'prompt');
      }
      const seconds = fields.seconds ?? '4';
      if (!SECONDS.includes(seconds)) return error(res, 400, `Invalid value for 'seconds'.`, null, 'seconds');
      const size = fields.size ?? '720x1280';
      if (!SIZES.includes(size)) return error(res, 400, `Invalid value for 'size'.`, null, 'size');
      const video: FakeVideo = {
        id: `video_${randomBytes(12).toString('hex')}`,
        model: fields.model ?? 'sora-2',
        prompt: fields.prompt,
        seconds,
        size,
        status: 'queued',
        progress: 0,
        hadReference,
        createdAt: Math.floor(Date.now() / 1000),
        ...(nextVideoFailure === undefined ? {} : { failWith: nextVideoFailure }),
      };
      nextVideoFailure = undefined;
      videos.set(video.id, video);
      return sendJson(res, 200, resource(video));
    }

    const match = /^\/v1\/videos\/([^/]+)(\/content)?$/.exec(url.pathname);
    const video = match ? videos.get(match[1]!) : undefined;
    if (match === null || video === undefined) return error(res, 404, 'Video not found.', 'not_found');
    if (req.method === 'DELETE' && match[2] === undefined) {
      videos.delete(video.id);
      return sendJson(res, 200, { id: video.id, object: 'video.deleted', deleted: true });
    }
    if (req.method === 'GET' && match[2] === undefined) {
      const answer = resource(video);
      step(video);
      return sendJson(res, 200, answer);
    }
    if (req.method === 'GET') {
      if (video.status !== 'completed') return error(res, 404, 'Video is not ready.', 'video_not_ready');
      const thumb = url.searchParams.get('variant') === 'thumbnail';
      const bytes = thumb ? thumbnail : SAMPLE_MP4;
      res.writeHead(200, {
        'content-type': thumb ? 'image/webp' : 'video/mp4',
        'content-length': bytes.length,
      });
      return res.end(bytes);
    }
    return error(res, 405, 'Method not allowed.');
  });

  return {
    ...server,
    videos,
    failNext(status, code) {
      failures.push({ status, ...(code === undefined ? {} : { code }) });
    },
    failNextVideo(code) {
      nextVideoFailure = code;
    },
  };
}

function step(video: FakeVideo): void {
  if (video.status === 'queued') {
    video.status = 'in_progress';
    video.progress = 40;
  } else if (video.status === 'in_progress') {
    video.status = video.failWith === undefined ? 'completed' : 'failed';
    video.progress = 100;
  }
}

function resource(video: FakeVideo) {
  return {
    id: video.id,
    object: 'video',
    model: video.model,
    status: video.status,
    progress: video.progress,
    created_at: video.createdAt,
    completed_at: video.status === 'completed' ? video.createdAt + 60 : null,
    expires_at: video.status === 'completed' ? video.createdAt + 86_400 : null,
    prompt: video.prompt,
    size: video.size,
    seconds: video.seconds,
    remixed_from_video_id: null,
    error:
      video.status === 'failed'
        ? { code: video.failWith ?? 'internal_error', message: 'The video could not be generated.' }
        : null,
  };
}
