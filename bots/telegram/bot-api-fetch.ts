import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';

/**
 * grammY's `client.fetch` over undici's `request`, for every Bot API call: JSON bodies and
 * grammY's multipart uploads (a stream) alike. grammY's default is node-fetch over `node:http`,
 * whose request and response objects and streams cost about twice the CPU per call; a bot
 * answering hundreds of messages a second makes two or more calls per message.
 *
 * grammY only reads the answer with `json()` (the Bot API always answers JSON, errors included),
 * sets its own timeout through `signal`, and turns a thrown error into its `HttpError`; that is
 * all this has to provide. Keep-alive connections are pooled per origin.
 */
export function createBotApiFetch(agent = new Agent({ keepAliveTimeout: 30_000 })): typeof fetch {
  const botApiFetch = async (input: unknown, init?: BotApiInit) => {
    const url = typeof input === 'string' ? input : String(input);
    const { statusCode, headers, body } = await request(url, {
      method: 'POST',
      dispatcher: agent,
      headers: init?.headers ?? {},
      body: init?.body ?? null,
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    return {
      ok: statusCode >= 200 && statusCode < 300,
      status: statusCode,
      headers,
      json: () => body.json(),
      text: () => body.text(),
    };
  };
  return botApiFetch as unknown as typeof fetch;
}

/** What grammY passes to `fetch` (core/client.js: the payload and its abort signal). */
interface BotApiInit {
  headers?: Record<string, string>;
  body?: string | Readable;
  signal?: AbortSignal;
}
