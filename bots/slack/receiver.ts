import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { FastifyPluginAsync } from 'fastify';
import { type BackgroundWork, createBackgroundWork } from '../shared/background-work.js';
import type { BotLogger } from '../shared/bot-logger.js';
import { verifySlackSignature } from './verify-signature.js';

/** Slack wants an answer within 3 s; we answer a little earlier if the listener has not acked. */
const ACK_DEADLINE_MS = 2_500;

export interface SlackReceiverOptions {
  /** SLACK_SIGNING_SECRET; unset refuses every request (fail closed). */
  signingSecret: string | undefined;
  logger: BotLogger;
  /** True for an event id not seen before (Slack retries deliveries it thinks were missed). */
  firstDelivery(eventId: string): Promise<boolean>;
  /** Resolves the app before the first event (lazy auth.test, so construction makes no calls). */
  ready(): Promise<void>;
}

/**
 * A Bolt receiver fed by our fastify route `POST /slack/events`: the v0 signature is checked on the
 * raw bytes (401 otherwise, 5-minute window), URL verification answered, retries deduped by
 * `event_id` (events) or `trigger_id` (slash commands, interactions), and the HTTP answer sent as soon as the listener acks (Bolt's processBeforeResponse
 * false): the work continues after the response, so Slack never waits past 3 s.
 */
export class FastifySlackReceiver implements Receiver {
  private app: App | undefined;
  private readonly background: BackgroundWork;

  constructor(private readonly options: SlackReceiverOptions) {
    this.background = createBackgroundWork(options.logger);
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.drain();
  }

  drain(): Promise<void> {
    return this.background.drain();
  }

  routes(): FastifyPluginAsync {
    return async (fastify) => {
      fastify.post('/slack/events', async (request, reply) => {
        const verdict = verifySlackSignature(this.options.signingSecret, {
          rawBody: request.rawBody ?? Buffer.alloc(0),
          timestamp: header(request.headers['x-slack-request-timestamp']),
          signature: header(request.headers['x-slack-signature']),
        });
        if (!verdict.ok) return reply.code(401).type('text/plain').send('invalid signature');
        const body = parseSlackBody(request.body);
        if (!body) return reply.code(400).type('text/plain').send('malformed body');
        if (body['ssl_check'] !== undefined) return reply.code(200).send();
        if (body['type'] === 'url_verification') return reply.send({ challenge: body['challenge'] });
        // Events are redelivered with the same event_id; a slash command or interaction sent again
        // carries the same trigger_id. Either is handled once.
        const deliveryId =
          typeof body['event_id'] === 'string'
            ? body['event_id']
            : typeof body['trigger_id'] === 'string'
              ? `trigger:${body['trigger_id']}`
              : undefined;
        if (deliveryId !== undefined && !(await this.options.firstDelivery(deliveryId))) {
          return reply.code(200).send();
        }
        const answer = await this.dispatch(body, request.headers);
        if (answer === undefined || answer === '') return reply.code(200).send();
        return typeof answer === 'string' ? reply.type('text/plain').send(answer) : reply.send(answer);
      });
    };
  }

  /** Hands the body to Bolt; resolves with the ack's response (or nothing at the deadline). */
  private dispatch(body: Record<string, unknown>, headers: Record<string, unknown>): Promise<unknown> {
    const app = this.app;
    if (!app) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let acked = false;
      const timer = setTimeout(() => {
        acked = true;
        resolve(undefined);
      }, ACK_DEADLINE_MS);
      const retryNum = Number(header(headers['x-slack-retry-num']));
      const event: ReceiverEvent = {
        body,
        ...(Number.isInteger(retryNum) ? { retryNum } : {}),
        ...(header(headers['x-slack-retry-reason'])
          ? { retryReason: header(headers['x-slack-retry-reason'])! }
          : {}),
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          clearTimeout(timer);
          resolve(response);
        },
      };
      void this.background
        .run(
          this.options.ready().then(() => app.processEvent(event)),
          'slack event failed',
        )
        .finally(() => {
          if (!acked) {
            acked = true;
            clearTimeout(timer);
            resolve(undefined);
          }
        });
    });
  }
}

function header(value: unknown): string | undefined {
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/** JSON events as they are; form posts as fields, with interactivity's `payload` JSON unpacked. */
function parseSlackBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record['payload'] === 'string') {
    try {
      const payload: unknown = JSON.parse(record['payload']);
      return typeof payload === 'object' && payload !== null
        ? (payload as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return record;
}
