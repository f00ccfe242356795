import type { ServerResponse } from 'node:http';
import type { LlmFault } from './llm-server.js';

/**
 * Server-Sent Events framing for the fakes, in the three upstream dialects: `data:` frames (OpenAI,
 * DeepSeek, Gemini), named `event:` frames (Anthropic), `[DONE]` and comments. `writeSse` sends a
 * list of frames, honouring the stall (stop sending, keep the socket open) and cut (destroy the
 * socket) faults after `n` frames.
 */

export function dataFrame(value: unknown, eol = '\n'): string {
  return `data: ${typeof value === 'string' ? value : JSON.stringify(value)}${eol}${eol}`;
}

export function namedFrame(event: string, value: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
}

export const DONE_FRAME = 'data: [DONE]\n\n';

export function commentFrame(text: string): string {
  return `: ${text}\n\n`;
}

export function writeSse(
  res: ServerResponse,
  frames: string[],
  fault: LlmFault = {},
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  const limit = fault.cutAfter ?? fault.stallAfter;
  const sent = limit === undefined ? frames : frames.slice(0, limit);
  const after = () => {
    if (limit === undefined) res.end();
    else if (fault.cutAfter !== undefined) res.socket?.destroy();
    // A stall keeps the socket open and silent until the client gives up or the fake closes.
  };
  const text = sent.join('');
  if (text === '') {
    res.flushHeaders();
    setImmediate(after);
  } else {
    res.write(text, after);
  }
}
