import type { IncomingHttpHeaders } from 'node:http';
import sharp from 'sharp';
import { listenFake, type RunningFake, sendJson, sleep } from './media-fake-server.js';

/**
 * A fake of Gemini image models: `POST /v1beta/models/{model}:generateContent` with
 * `generationConfig.responseModalities` including `IMAGE` answers a text part and an `inlineData`
 * PNG part (shaped by `imageConfig.aspectRatio`), `finishReason: STOP` and `usageMetadata`; without
 * `IMAGE` it answers text only, as the real API does. Key in `x-goog-api-key`. Errors are
 * `{"error":{"code","message","status"}}`. Faults: error statuses, a blocked prompt (HTTP 200,
 * `promptFeedback.blockReason`, no candidates), an output safety stop (`IMAGE_SAFETY` and friends,
 * no parts), `NO_IMAGE`, latency.
 */

export const FAKE_GEMINI_IMAGES_KEY = 'fake-gemini-images-key';

export type GeminiImagesFault =
  /** Answer normally (to place a fault on a later request). */
  | { kind: 'none' }
  | { kind: 'status'; status: number; message?: string }
  | { kind: 'blockPrompt'; reason?: string }
  | { kind: 'finish'; finishReason: string };

export interface FakeGeminiImages extends RunningFake {
  requests: Array<{ path: string; headers: IncomingHttpHeaders; body: Record<string, unknown> }>;
  /** Queues faults, one per coming request. */
  fail(...faults: GeminiImagesFault[]): void;
  setLatency(ms: number): void;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const PATH = /^\/v1beta\/models\/([^/:]+):generateContent$/;

export async function startFakeGeminiImages(options: { apiKey?: string } = {}): Promise<FakeGeminiImages> {
  const apiKey = options.apiKey ?? FAKE_GEMINI_IMAGES_KEY;
  const requests: FakeGeminiImages['requests'] = [];
  const faults: GeminiImagesFault[] = [];
  let latency = 0;
  let counter = 0;

  const error = (status: number, message: string) => ({
    error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' },
  });

  const server = await listenFake(async (req, res, raw) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = PATH.exec(url.pathname);
    if (req.method !== 'POST' || match === null)
      return sendJson(res, 404, error(404, 'Requested entity was not found.'));
    if (latency > 0) await sleep(latency);
    if (req.headers['x-goog-api-key'] !== apiKey) {
      return sendJson(res, 400, error(400, 'API key not valid. Please pass a valid API key.'));
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, error(400, 'Invalid JSON payload received.'));
    }
    requests.push({ path: url.pathname, headers: req.headers, body });

    const contents = Array.isArray(body.contents) ? (body.contents as Array<{ parts?: unknown[] }>) : [];
    const parts = contents.flatMap((content) => (Array.isArray(content.parts) ? content.parts : [])) as Array<
      Record<string, unknown>
    >;
    if (parts.length === 0) return sendJson(res, 400, error(400, '* contents: must not be empty'));
    const inputImages = parts.filter((part) => part.inlineData !== undefined).length;
    const promptTokens = 8 + inputImages * 258;
    const usageBase = { promptTokenCount: promptTokens, totalTokenCount: promptTokens };

    const fault = faults.shift();
    if (fault?.kind === 'status')
      return sendJson(res, fault.status, error(fault.status, fault.message ?? 'Fake failure'));
    if (fault?.kind === 'blockPrompt') {
      return sendJson(res, 200, {
        promptFeedback: { blockReason: fault.reason ?? 'PROHIBITED_CONTENT' },
        usageMetadata: usageBase,
        modelVersion: match[1],
      });
    }
    if (fault?.kind === 'finish') {
      return sendJson(res, 200, {
        candidates: [{ content: { role: 'model', parts: [] }, finishReason: fault.finishReason, index: 0 }],
        usageMetadata: usageBase,
        modelVersion: match[1],
      });
    }

    const config = (body.generationConfig ?? {}) as {
      responseModalities?: string[];
      imageConfig?: { aspectRatio?: string };
    };
    const wantsImage = config.responseModalities?.includes('IMAGE') === true;
    counter += 1;
    const answer: Array<Record<string, unknown>> = [
      { text: wantsImage ? 'Here is your image.' : 'I can only describe it.' },
    ];
    let outputTokens = 6;
    if (wantsImage) {
      const [w, h] = (config.imageConfig?.aspectRatio ?? '1:1').split(':').map(Number);
      const scale = 256 / Math.max(w!, h!);
      const png = await sharp({
        create: {
          width: Math.round(w! * scale),
          height: Math.round(h! * scale),
          channels: 3,
          background: { r: (counter * 53) % 256, g: 120, b: 200 },
        },
      })
        .png()
        .toBuffer();
      answer.push({ inlineData: { mimeType: 'image/png', data: png.toString('base64') } });
      outputTokens += 1290;
    }
    sendJson(res, 200, {
      candidates: [{ content: { role: 'model', parts: answer }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: promptTokens,
        candidatesTokenCount: outputTokens,
        totalTokenCount: promptTokens + outputTokens,
      },
      modelVersion: match[1],
      responseId: `fake-image-${counter}`,
    });
  });

  return {
    ...server,
    requests,
    fail(...more) {
      faults.push(...more);
    },
    setLatency(ms) {
      latency = ms;
    },
  };
}
