/**
 * A fake Slack Web API: `POST /api/<method>` with form-encoded or JSON bodies and
 * `Authorization: Bearer`, answering `{ok:true,...}` / `{ok:false,error}` with HTTP 200, and
 * 429 + `Retry-After` when a rate limit is injected. Messages, streams and uploaded files are kept
 * per channel and thread so tests can read what a person would see.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  asObject,
  asString,
  FaultQueue,
  type ParsedBody,
  parseBody,
  type RunningServer,
  sendJson,
  startFakeServer,
} from './platform-http.js';

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  error?: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** The text now shown (for streamed messages: the markdown appended so far). */
  text: string;
  blocks?: unknown;
  versions: string[];
  stream?: { state: 'streaming' | 'stopped'; appends: string[]; recipientUserId?: string };
  files: SlackFile[];
}

export interface SlackFile {
  id: string;
  filename: string;
  title?: string;
  bytes?: Buffer;
  channel?: string;
  threadTs?: string;
}

export interface SlackFault {
  /** A Web API error code answered with HTTP 200 (`{ok:false,error}`). */
  error?: string;
  /** Seconds: answers HTTP 429 with this `Retry-After`. */
  retryAfter?: number;
}

class SlackApiError extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

const TEAM_ID = 'T0FAKE';
const BOT_USER_ID = 'U0BOT';
const BOT_ID = 'B0BOT';
const MAX_TEXT = 40_000;
/** chat.startStream / appendStream / stopStream: "Limit this field to 12,000 characters". */
export const MAX_MARKDOWN_TEXT = 12_000;

type Handler = (params: Record<string, unknown>) => Record<string, unknown>;

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly messages: SlackMessage[] = [];
  readonly files = new Map<string, SlackFile>();
  /** Ephemeral messages (chat.postEphemeral), visible to one user only. */
  readonly ephemerals: { channel: string; user: string; threadTs?: string; text: string }[] = [];
  /** What the app posted to each slash command's `response_url`, by its id. */
  readonly responses = new Map<string, Record<string, unknown>[]>();
  private readonly faults = new FaultQueue<SlackFault>();
  private running: RunningServer | undefined;
  private clock = 1_700_000_000;
  private sequence = 0;

  private constructor(readonly token: string) {}

  static async start(token = 'xoxb-fake-token'): Promise<FakeSlack> {
    const fake = new FakeSlack(token);
    fake.running = await startFakeServer((req, raw, res) => fake.handle(req, raw, res));
    return fake;
  }

  get origin(): string {
    return this.running!.origin;
  }

  /** For WebClient's `slackApiUrl` (with the trailing slash it expects). */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  async close(): Promise<void> {
    await this.running?.close();
  }

  injectError(method: string, fault: SlackFault, times = 1): void {
    this.faults.add(method, fault, times);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Top-level messages of a channel, or the replies of one thread (parent excluded). */
  /** Messages removed with chat.delete, in order. */
  readonly deleted: SlackMessage[] = [];

  transcript(channel: string, threadTs?: string): SlackMessage[] {
    return this.messages.filter(
      (m) => m.channel === channel && (threadTs === undefined ? !m.threadTs : m.threadTs === threadTs),
    );
  }

  private async handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const response = /^\/response\/([a-z0-9]+)$/.exec(url.pathname);
    if (response) return this.receiveResponse(response[1]!, raw, res);
    const shared = /^\/files-pri\/T0FAKE-([A-Z0-9]+)\/download\/[^/]+$/.exec(url.pathname);
    if (shared && req.method === 'GET') return this.serveShared(shared[1]!, req, res);
    const upload = /^\/upload\/([A-Z0-9]+)$/.exec(url.pathname);
    if (upload) return this.receiveUpload(upload[1]!, req, await uploadedBytes(raw, req), res);
    const match = /^\/api\/([A-Za-z.]+)$/.exec(url.pathname);
    if (!match || req.method !== 'POST') return sendJson(res, 404, { ok: false, error: 'unknown_method' });
    const method = match[1]!;
    const body: ParsedBody = await parseBody(raw, req.headers['content-type']);
    const params: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body.fields)) params[key] = asObject(value);
    const call: SlackCall = { method, params };
    this.calls.push(call);

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? asString(params['token']);
    if (bearer === undefined) return this.fail(res, call, 'not_authed');
    if (bearer !== this.token) return this.fail(res, call, 'invalid_auth');
    const fault = this.faults.take(method);
    if (fault?.retryAfter !== undefined) {
      call.error = 'ratelimited';
      return sendJson(
        res,
        429,
        { ok: false, error: 'ratelimited' },
        { 'retry-after': String(fault.retryAfter) },
      );
    }
    if (fault?.error) return this.fail(res, call, fault.error);
    const handler = this.handlers[method];
    if (!handler) return this.fail(res, call, 'unknown_method');
    try {
      sendJson(res, 200, { ok: true, ...handler(params) });
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      this.fail(res, call, error.error);
    }
  }

  private fail(res: ServerResponse, call: SlackCall, error: string): void {
    call.error = error;
    sendJson(res, 200, { ok: false, error });
  }

  private readonly handlers: Record<string, Handler> = {
    'auth.test': () => ({
      url: 'https://fake.slack.com/',
      team: 'Fake',
      user: 'aiport',
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (p) => {
      const channel = requireString(p, 'channel', 'channel_not_found');
      const text = asString(p['text']) ?? '';
      const blocks = p['blocks'];
      if (text.trim() === '' && blocks === undefined) throw new SlackApiError('no_text');
      if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
      const message = this.addMessage(channel, asString(p['thread_ts']), text, blocks);
      return {
        channel,
        ts: message.ts,
        message: { type: 'message', text, user: BOT_USER_ID, ts: message.ts },
      };
    },
    'chat.update': (p) => {
      const message = this.findMessage(p);
      if (message.stream?.state === 'streaming') throw new SlackApiError('cant_update_message');
      const text = asString(p['text']) ?? '';
      if (text.trim() === '' && p['blocks'] === undefined) throw new SlackApiError('no_text');
      if (text.length > MAX_TEXT) throw new SlackApiError('msg_too_long');
      message.text = text;
      if (p['blocks'] !== undefined) message.blocks = p['blocks'];
      message.versions.push(text);
      return { channel: message.channel, ts: message.ts, text };
    },
    // A deleted message is gone for everyone: it leaves the transcript (kept in `deleted`).
    'chat.delete': (p) => {
      const message = this.findMessage(p);
      this.messages.splice(this.messages.indexOf(message), 1);
      this.deleted.push(message);
      return { channel: message.channel, ts: message.ts };
    },
    'chat.startStream': (p) => {
      const channel = requireString(p, 'channel', 'channel_not_found');
      const threadTs = requireString(p, 'thread_ts', 'invalid_arguments');
      const recipientUserId = asString(p['recipient_user_id']);
      if (!channel.startsWith('D') && (!recipientUserId || !asString(p['recipient_team_id']))) {
        throw new SlackApiError('missing_recipient_user_id');
      }
      const first = markdownText(p);
      const message = this.addMessage(channel, threadTs, first, undefined);
      message.stream = { state: 'streaming', appends: first ? [first] : [] };
      if (recipientUserId) message.stream.recipientUserId = recipientUserId;
      return { channel, ts: message.ts };
    },
    'chat.appendStream': (p) => {
      const message = this.streamingMessage(p);
      const chunk = markdownText(p);
      if (chunk === '') throw new SlackApiError('invalid_arguments');
      this.append(message, chunk);
      return { channel: message.channel, ts: message.ts };
    },
    'chat.stopStream': (p) => {
      const message = this.streamingMessage(p);
      const chunk = markdownText(p);
      if (chunk) this.append(message, chunk);
      if (p['blocks'] !== undefined) message.blocks = p['blocks'];
      message.stream!.state = 'stopped';
      return { channel: message.channel, ts: message.ts, message: { text: message.text, ts: message.ts } };
    },
    'files.getUploadURLExternal': (p) => {
      const filename = requireString(p, 'filename', 'invalid_arguments');
      const length = Number(p['length']);
      if (!Number.isInteger(length) || length <= 0) throw new SlackApiError('invalid_arguments');
      const id = `F${String(++this.sequence).padStart(8, '0')}`;
      this.files.set(id, { id, filename });
      return { upload_url: `${this.origin}/upload/${id}`, file_id: id };
    },
    'files.completeUploadExternal': (p) => {
      const entries = p['files'];
      if (!Array.isArray(entries) || entries.length === 0) throw new SlackApiError('invalid_arguments');
      const channel = asString(p['channel_id']);
      const threadTs = asString(p['thread_ts']);
      const shared: SlackFile[] = [];
      for (const entry of entries as { id?: string; title?: string }[]) {
        const file = this.files.get(entry.id ?? '');
        if (!file?.bytes) throw new SlackApiError('file_not_found');
        if (entry.title) file.title = entry.title;
        if (channel) file.channel = channel;
        if (threadTs) file.threadTs = threadTs;
        shared.push(file);
      }
      if (channel) {
        const message = this.addMessage(channel, threadTs, asString(p['initial_comment']) ?? '', undefined);
        message.files = shared;
      }
      return { files: shared.map((f) => ({ id: f.id, name: f.filename, title: f.title ?? f.filename })) };
    },
    'chat.postEphemeral': (p) => {
      const channel = requireString(p, 'channel', 'channel_not_found');
      const user = requireString(p, 'user', 'user_not_in_channel');
      const text = asString(p['text']) ?? '';
      if (text.trim() === '' && p['blocks'] === undefined) throw new SlackApiError('no_text');
      const threadTs = asString(p['thread_ts']);
      this.ephemerals.push({ channel, user, text, ...(threadTs ? { threadTs } : {}) });
      return { message_ts: this.nextTs() };
    },
    // A DM between the app and a user: the same `D…` channel each time for the same user.
    'conversations.open': (p) => {
      const users = requireString(p, 'users', 'users_list_not_supplied');
      if (users.includes(',')) throw new SlackApiError('not_allowed_token_type');
      if (!/^[UW][A-Z0-9]+$/.test(users)) throw new SlackApiError('user_not_found');
      return { channel: { id: directChannelOf(users) } };
    },
    'conversations.replies': (p) => {
      const channel = requireString(p, 'channel', 'channel_not_found');
      const ts = requireString(p, 'ts', 'thread_not_found');
      const thread = this.messages.filter((m) => m.channel === channel && (m.ts === ts || m.threadTs === ts));
      return {
        messages: thread.map((m) => ({ type: 'message', ts: m.ts, thread_ts: m.threadTs, text: m.text })),
      };
    },
  };

  /**
   * A `response_url` for a slash command or interaction (pass it to SlackInbound); Slack accepts
   * up to five posts to one within 30 minutes.
   */
  createResponseUrl(): string {
    const id = `r${++this.sequence}`;
    this.responses.set(id, []);
    return `${this.origin}/response/${id}`;
  }

  private receiveResponse(id: string, raw: Buffer, res: ServerResponse): void {
    const posts = this.responses.get(id);
    if (!posts || posts.length >= 5) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('used_url');
      return;
    }
    try {
      posts.push(JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }

  /**
   * A file a person shared, as Slack puts it in the message event's `files[]`; its bytes are served
   * at `url_private_download` to requests with the bot token.
   */
  shareFile(bytes: Buffer, name: string, mimetype: string): Record<string, unknown> {
    const id = `F${String(++this.sequence).padStart(8, '0')}`;
    this.files.set(id, { id, filename: name, bytes });
    const url = `${this.origin}/files-pri/T0FAKE-${id}/download/${encodeURIComponent(name)}`;
    return {
      id,
      name,
      title: name,
      mimetype,
      filetype: name.split('.').pop() ?? 'binary',
      size: bytes.length,
      url_private: url,
      url_private_download: url,
    };
  }

  /** Like Slack, a download without a valid token gets the sign-in page (HTML, status 200), not the file. */
  private serveShared(id: string, req: IncomingMessage, res: ServerResponse): void {
    const file = this.files.get(id);
    if (!file?.bytes) return void res.writeHead(404).end();
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  private receiveUpload(id: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const file = this.files.get(id);
    if (!file || !/^Bearer /.test(req.headers.authorization ?? '')) {
      res.writeHead(file ? 401 : 404).end();
      return;
    }
    file.bytes = raw;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
  }

  private nextTs(): string {
    this.sequence += 1;
    return `${this.clock}.${String(this.sequence).padStart(6, '0')}`;
  }

  private addMessage(
    channel: string,
    threadTs: string | undefined,
    text: string,
    blocks: unknown,
  ): SlackMessage {
    const message: SlackMessage = { channel, ts: this.nextTs(), text, versions: [text], files: [] };
    if (threadTs) message.threadTs = threadTs;
    if (blocks !== undefined) message.blocks = blocks;
    this.messages.push(message);
    return message;
  }

  private findMessage(p: Record<string, unknown>): SlackMessage {
    const channel = requireString(p, 'channel', 'channel_not_found');
    const ts = requireString(p, 'ts', 'message_not_found');
    const message = this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message) throw new SlackApiError('message_not_found');
    return message;
  }

  private streamingMessage(p: Record<string, unknown>): SlackMessage {
    const message = this.findMessage(p);
    if (message.stream?.state !== 'streaming') throw new SlackApiError('message_not_in_streaming_state');
    return message;
  }

  private append(message: SlackMessage, chunk: string): void {
    message.stream!.appends.push(chunk);
    message.text += chunk;
    message.versions.push(message.text);
  }
}

/** The upload URL takes raw bytes; this SDK version sends them as a one-file multipart form. */
async function uploadedBytes(raw: Buffer, req: IncomingMessage): Promise<Buffer> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) return raw;
  const body = await parseBody(raw, type);
  return Object.values(body.files)[0]?.bytes ?? raw;
}

/** The DM channel id the fake gives the app's conversation with a user. */
export function directChannelOf(userId: string): string {
  return `D${userId.replace(/^[UW]/, '').padEnd(9, '0')}`;
}

function markdownText(p: Record<string, unknown>): string {
  const text = asString(p['markdown_text']) ?? '';
  if (text.length > MAX_MARKDOWN_TEXT) throw new SlackApiError('msg_too_long');
  return text;
}

function requireString(p: Record<string, unknown>, key: string, error: string): string {
  const value = asString(p[key]);
  if (value === undefined || value === '') throw new SlackApiError(error);
  return value;
}

export { type SlackDelivery, SlackInbound, slackSignature } from './platform-slack-inbound.js';
