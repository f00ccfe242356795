/**
 * Sends requests to an app exactly as Slack does: v0 HMAC-SHA256 over `v0:<ts>:<raw body>`,
 * events as JSON, slash commands form-encoded, interactivity as `payload=<json>`, and
 * `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` on redeliveries.
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface SlackDelivery {
  /** Unix seconds for `X-Slack-Request-Timestamp`; defaults to now. */
  timestamp?: number;
  /** Redelivery number (1..3) when Slack retries a delivery that was not acknowledged in time. */
  retryNum?: number;
  retryReason?: string;
  /** Overrides the computed signature (for forged-request tests). */
  signature?: string;
}

export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return `v0=${digest}`;
}

export class SlackInbound {
  constructor(
    private readonly signingSecret: string,
    /** The app's endpoint, e.g. `http://127.0.0.1:PORT/slack/events`. */
    private readonly url: string,
  ) {}

  headers(rawBody: string, contentType: string, delivery: SlackDelivery = {}): Record<string, string> {
    const timestamp = delivery.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': delivery.signature ?? slackSignature(this.signingSecret, timestamp, rawBody),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (delivery.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(delivery.retryNum);
      headers['x-slack-retry-reason'] = delivery.retryReason ?? 'http_timeout';
    }
    return headers;
  }

  async post(rawBody: string, contentType: string, delivery: SlackDelivery = {}): Promise<Response> {
    return fetch(this.url, {
      method: 'POST',
      headers: this.headers(rawBody, contentType, delivery),
      body: rawBody,
    });
  }

  /** Wraps an event in the `event_callback` envelope; pass the same `eventId` to simulate a redelivery. */
  async event(
    event: Record<string, unknown>,
    options: SlackDelivery & { eventId?: string; teamId?: string } = {},
  ): Promise<Response> {
    const envelope = {
      token: 'legacy-verification-token',
      team_id: options.teamId ?? 'T0FAKE',
      api_app_id: 'A0FAKE',
      event: { event_ts: `${Math.floor(Date.now() / 1000)}.000100`, ...event },
      type: 'event_callback',
      event_id: options.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: options.teamId ?? 'T0FAKE', user_id: 'U0BOT', is_bot: true }],
      is_ext_shared_channel: false,
    };
    return this.post(JSON.stringify(envelope), 'application/json', options);
  }

  async urlVerification(challenge: string, delivery: SlackDelivery = {}): Promise<Response> {
    const body = JSON.stringify({ token: 'legacy-verification-token', challenge, type: 'url_verification' });
    return this.post(body, 'application/json', delivery);
  }

  /** A slash command, form-encoded with the fields Slack sends. */
  async slashCommand(
    command: string,
    text: string,
    fields: Record<string, string> = {},
    delivery: SlackDelivery = {},
  ): Promise<Response> {
    const form = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: 'T0FAKE',
      team_domain: 'fake',
      channel_id: 'C0FAKE',
      channel_name: 'general',
      user_id: 'U0USER',
      user_name: 'user',
      command,
      text,
      api_app_id: 'A0FAKE',
      is_enterprise_install: 'false',
      response_url: 'https://hooks.slack.com/commands/T0FAKE/1/abc',
      trigger_id: '1.2.abc',
      ...fields,
    });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', delivery);
  }

  /** An interactivity payload (button press, view submission), sent as `payload=<json>`. */
  async interaction(payload: Record<string, unknown>, delivery: SlackDelivery = {}): Promise<Response> {
    const form = new URLSearchParams({ payload: JSON.stringify(payload) });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', delivery);
  }
}
