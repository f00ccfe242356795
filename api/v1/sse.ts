import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * A Server-Sent Events response written straight to the socket, with backpressure: `write` waits for
 * the socket to drain before the caller reads more from upstream, so a slow client slows the
 * upstream read instead of filling memory. A client that leaves makes `write` return false.
 */
export class SseWriter {
  private open = false;

  constructor(
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
  ) {}

  get started(): boolean {
    return this.open;
  }

  /** Sends the status and headers, with any already set on the reply (fastify steps aside from here on). */
  start(headers: Record<string, string>): void {
    if (this.open) return;
    this.open = true;
    const earlier = this.reply.getHeaders() as Record<string, string | number | string[]>;
    this.reply.hijack();
    this.reply.raw.writeHead(200, {
      ...earlier,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(this.request.id),
      ...headers,
    });
    this.reply.raw.flushHeaders();
  }

  get gone(): boolean {
    const raw = this.reply.raw;
    return raw.destroyed || raw.writableEnded;
  }

  /** Writes one frame; resolves false when the client has gone. */
  async write(frame: string): Promise<boolean> {
    const raw = this.reply.raw;
    if (this.gone) return false;
    if (raw.write(frame)) return true;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        raw.off('drain', onDrain);
        raw.off('close', onClose);
        resolve(ok);
      };
      const onDrain = () => done(true);
      const onClose = () => done(false);
      raw.on('drain', onDrain);
      raw.on('close', onClose);
    });
  }

  end(): void {
    if (!this.gone) this.reply.raw.end();
  }
}

export function dataFrame(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export function namedFrame(event: string, value: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(value)}\n\n`;
}

/** Aborted when the client disconnects before the response is complete. */
export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
  });
  return controller.signal;
}
