/**
 * A fake Discord REST API under `/api/v10`: interaction callbacks, the interaction webhook
 * routes (`@original` and follow-ups, JSON or multipart with `payload_json` + `files[n]`),
 * channel messages and DMs sent with the bot token (`POST /users/@me/channels`,
 * `POST /channels/{id}/messages`) and command registration. It enforces the 2000-character content
 * limit, the per-interaction `attachment_size_limit`, one initial response per interaction and
 * the 15-minute life of an interaction token (401 "Invalid Webhook Token" after it, on its own
 * clock that tests advance), can answer 429 with `retry_after`, keeps a transcript per interaction
 * and per channel, and records whom each message pinged under its `allowed_mentions`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  asObject,
  FaultQueue,
  parseBody,
  type RunningServer,
  sendJson,
  startFakeServer,
} from './platform-http.js';

export interface DiscordAttachment {
  id: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface DiscordMessage {
  id: string;
  content: string;
  flags: number;
  embeds: unknown[];
  attachments: DiscordAttachment[];
  versions: string[];
  deleted?: boolean;
  /** Who the content notified, under the message's `allowed_mentions` (and Discord's defaults). */
  pinged: { everyone: boolean; users: string[] };
}

export interface InteractionTranscript {
  /** When the interaction was answered (fake clock, ms); its token works 15 minutes from then. */
  answeredAt?: number;
  /** The initial response type (4 message, 5 deferred, 6/7 component updates, 9 modal). */
  responseType?: number;
  /** The `@original` message, once a type 4 or 5 response exists. */
  original?: DiscordMessage;
  followUps: DiscordMessage[];
  modal?: unknown;
}

export interface DiscordCall {
  method: string;
  route: string;
  body: Record<string, unknown> | undefined;
  status?: number;
}

export interface DiscordRateLimit {
  /** Seconds, may be fractional. */
  retryAfter: number;
  global?: boolean;
}

class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body['message']));
  }
}

const MAX_CONTENT = 2000;
const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;
const EPHEMERAL = 1 << 6;
/** Interaction tokens are valid for 15 minutes for follow-ups and edits of `@original`. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;

interface RequestBody {
  json: Record<string, unknown>;
  files: Map<string, { filename: string; contentType: string; bytes: Buffer }>;
}

export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  /** Registered command sets, keyed `global` or `guild:<id>`. */
  readonly commands = new Map<string, Record<string, unknown>[]>();
  private readonly interactions = new Map<string, InteractionTranscript>();
  private readonly attachmentLimits = new Map<string, number>();
  private readonly rateLimits = new FaultQueue<DiscordRateLimit>();
  /** Messages sent with the bot token, by channel id (DM channels included). */
  readonly channels = new Map<string, DiscordMessage[]>();
  /** DM channel id by the user it was opened with. */
  readonly directChannels = new Map<string, string>();
  /** Files people attached, served like Discord's CDN under `/attachments/…`. */
  private readonly uploads = new Map<string, { contentType: string; bytes: Buffer }>();
  private running: RunningServer | undefined;
  private snowflake = 1_100_000_000_000_000_000n;
  private clockOffsetMs = 0;

  private constructor(
    readonly applicationId: string,
    readonly botToken: string,
  ) {}

  static async start(
    applicationId = '1100000000000000001',
    botToken = 'fake-bot-token',
  ): Promise<FakeDiscord> {
    const fake = new FakeDiscord(applicationId, botToken);
    fake.running = await startFakeServer((req, raw, res) => fake.handle(req, raw, res));
    return fake;
  }

  /** For @discordjs/rest's `api` option (without the version). */
  get apiBase(): string {
    return `${this.running!.origin}/api`;
  }

  async close(): Promise<void> {
    await this.running?.close();
  }

  nextId(): string {
    this.snowflake += 1n;
    return this.snowflake.toString();
  }

  /** The fake's clock: real time plus what tests advanced it by. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the fake's clock forward (e.g. past an interaction token's 15 minutes). */
  advanceTime(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /**
   * A file a person attaches, as Discord describes it in `resolved.attachments` (or a message's
   * `attachments`); the fake serves its bytes like the CDN. `statedSize` overrides the `size` Discord
   * states (a hostile sender's lie).
   */
  userAttachment(
    filename: string,
    contentType: string,
    bytes: Buffer,
    options: { statedSize?: number } = {},
  ): { id: string; filename: string; size: number; url: string; proxy_url: string; content_type: string } {
    const id = this.nextId();
    const path = `/attachments/300000000000000001/${id}/${encodeURIComponent(filename)}`;
    this.uploads.set(path, { contentType, bytes });
    // Discord's CDN links are signed and expire (`ex`, `is`, `hm`).
    const url = `${this.running!.origin}${path}?ex=6a000000&is=69f00000&hm=${id.slice(-8)}&`;
    return {
      id,
      filename,
      size: options.statedSize ?? bytes.length,
      url,
      proxy_url: url,
      content_type: contentType,
    };
  }

  /** How many times an attachment was downloaded from the fake CDN. */
  downloads(): number {
    return this.calls.filter((c) => c.method === 'GET' && c.route.startsWith('/attachments/')).length;
  }

  /** Messages the bot posted in a channel (or DM channel), in order. */
  channelMessages(channelId: string): DiscordMessage[] {
    return this.channels.get(channelId) ?? [];
  }

  /** Sets the per-interaction upload limit Discord states in `attachment_size_limit`. */
  setAttachmentLimit(interactionToken: string, bytes: number): void {
    this.attachmentLimits.set(interactionToken, bytes);
  }

  /** The next `times` requests on a route matching `routePrefix` (e.g. `PATCH /webhooks`) answer 429. */
  injectRateLimit(routePrefix: string, limit: DiscordRateLimit, times = 1): void {
    this.rateLimits.add(routePrefix, limit, times);
  }

  /**
   * Records an initial response the app gave in the body of its HTTP answer to the interaction
   * POST (e.g. `{type:5}`), as Discord does; webhook routes work from then on.
   */
  recordInitialResponse(interactionToken: string, response: Record<string, unknown>): void {
    this.callback(interactionToken, { json: response, files: new Map() }, false);
  }

  transcript(interactionToken: string): InteractionTranscript {
    let transcript = this.interactions.get(interactionToken);
    if (!transcript) {
      transcript = { followUps: [] };
      this.interactions.set(interactionToken, transcript);
    }
    return transcript;
  }

  private async handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const route = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const body = raw.length > 0 ? await readRequestBody(raw, req.headers['content-type']) : undefined;
    const call: DiscordCall = { method, route, body: body?.json };
    this.calls.push(call);
    if (method === 'GET' && route.startsWith('/attachments/')) {
      const upload = this.uploads.get(url.pathname);
      call.status = upload ? 200 : 404;
      if (!upload) return sendJson(res, 404, { message: '404: Not Found', code: 0 });
      res.writeHead(200, {
        'content-type': upload.contentType,
        'content-length': String(upload.bytes.length),
      });
      res.end(upload.bytes);
      return;
    }
    const limited = this.takeRateLimit(`${method} ${route}`);
    if (limited) {
      call.status = 429;
      return sendJson(
        res,
        429,
        {
          message: 'You are being rate limited.',
          retry_after: limited.retryAfter,
          global: limited.global ?? false,
        },
        {
          'retry-after': String(limited.retryAfter),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(limited.retryAfter),
          'x-ratelimit-bucket': 'fakebucket',
          'x-ratelimit-scope': limited.global ? 'global' : 'user',
          ...(limited.global ? { 'x-ratelimit-global': 'true' } : {}),
        },
      );
    }
    try {
      const { status, result } = this.route(method, route, url, req, body);
      call.status = status;
      if (status === 204) {
        res.writeHead(204).end();
        return;
      }
      sendJson(res, status, result, {
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '4',
        'x-ratelimit-reset-after': '1',
      });
    } catch (error) {
      if (!(error instanceof DiscordApiError)) throw error;
      call.status = error.status;
      sendJson(res, error.status, error.body);
    }
  }

  private takeRateLimit(request: string): DiscordRateLimit | undefined {
    return this.rateLimits.takeWhere((prefix) => request.startsWith(prefix));
  }

  private route(
    method: string,
    route: string,
    url: URL,
    req: IncomingMessage,
    body: RequestBody | undefined,
  ): { status: number; result?: unknown } {
    let m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(route);
    if (m && method === 'POST')
      return this.callback(m[2]!, body, url.searchParams.get('with_response') === 'true');
    m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(route);
    if (m) return this.webhookMessage(method, m[1]!, m[2]!, m[3]!, body);
    m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(route);
    if (m && method === 'POST') return this.followUp(m[1]!, m[2]!, body);
    if (route === '/users/@me/channels' && method === 'POST') return this.openDirect(req, body);
    m = /^\/channels\/(\d+)\/messages$/.exec(route);
    if (m && method === 'POST') return this.channelMessage(m[1]!, req, body);
    m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(route);
    if (m) return this.registerCommands(method, m[1]!, m[2], req, body);
    throw new DiscordApiError(404, { message: '404: Not Found', code: 0 });
  }

  private callback(
    token: string,
    body: RequestBody | undefined,
    withResponse: boolean,
  ): { status: number; result?: unknown } {
    const transcript = this.transcript(token);
    if (transcript.responseType !== undefined) {
      throw new DiscordApiError(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    }
    const type = Number(body?.json['type']);
    if (![1, 4, 5, 6, 7, 8, 9].includes(type))
      throw invalidForm('type', 'NUMBER_TYPE_COERCE', 'Value is not int.');
    const data = (body?.json['data'] ?? {}) as Record<string, unknown>;
    // A component's UPDATE_MESSAGE (7) edits the message the component is on; it is the
    // interaction's `@original` from then on.
    if (type === 4 || type === 5 || type === 7) {
      transcript.original = this.buildMessage(
        token,
        type === 5 ? { ...data, content: data['content'] ?? '' } : data,
        body,
        type === 4,
        INTERACTION_DEFAULT_PARSE,
      );
    }
    transcript.answeredAt = this.now();
    if (type === 9) transcript.modal = data;
    transcript.responseType = type;
    if (!withResponse) return { status: 204 };
    return {
      status: 200,
      result: { interaction: { type }, resource: { type, message: transcript.original } },
    };
  }

  private webhookMessage(
    method: string,
    appId: string,
    token: string,
    messageId: string,
    body: RequestBody | undefined,
  ): { status: number; result?: unknown } {
    const transcript = this.knownInteraction(appId, token);
    const message =
      messageId === '@original' ? transcript.original : transcript.followUps.find((f) => f.id === messageId);
    if (!message || message.deleted)
      throw new DiscordApiError(404, { message: 'Unknown Message', code: 10008 });
    if (method === 'GET') return { status: 200, result: toApiMessage(message) };
    if (method === 'DELETE') {
      message.deleted = true;
      return { status: 204 };
    }
    if (method !== 'PATCH') throw new DiscordApiError(405, { message: '405: Method Not Allowed', code: 0 });
    const json = body?.json ?? {};
    const content = json['content'] === undefined ? message.content : String(json['content'] ?? '');
    checkContent(content);
    const embeds = Array.isArray(json['embeds']) ? json['embeds'] : message.embeds;
    const attachments =
      Array.isArray(json['attachments']) || (body && body.files.size > 0)
        ? this.collectAttachments(token, json, body, message.attachments)
        : message.attachments;
    if (content === '' && embeds.length === 0 && attachments.length === 0) {
      throw new DiscordApiError(400, { message: 'Cannot send an empty message', code: 50006 });
    }
    if (json['content'] !== undefined) message.versions.push(content);
    Object.assign(message, { content, embeds, attachments });
    message.pinged = pingsOf(content, json['allowed_mentions'], INTERACTION_DEFAULT_PARSE);
    return { status: 200, result: toApiMessage(message) };
  }

  private followUp(
    appId: string,
    token: string,
    body: RequestBody | undefined,
  ): { status: number; result: unknown } {
    const transcript = this.knownInteraction(appId, token);
    const message = this.buildMessage(token, body?.json ?? {}, body, true, INTERACTION_DEFAULT_PARSE);
    transcript.followUps.push(message);
    return { status: 200, result: toApiMessage(message) };
  }

  private knownInteraction(appId: string, token: string): InteractionTranscript {
    const transcript = this.interactions.get(token);
    if (appId !== this.applicationId || transcript?.responseType === undefined) {
      throw new DiscordApiError(404, { message: 'Unknown Webhook', code: 10015 });
    }
    if (this.now() - (transcript.answeredAt ?? 0) > INTERACTION_TOKEN_TTL_MS) {
      throw new DiscordApiError(401, { message: 'Invalid Webhook Token', code: 50027 });
    }
    return transcript;
  }

  private requireBot(req: IncomingMessage): void {
    if (req.headers.authorization !== `Bot ${this.botToken}`) {
      throw new DiscordApiError(401, { message: '401: Unauthorized', code: 0 });
    }
  }

  private openDirect(
    req: IncomingMessage,
    body: RequestBody | undefined,
  ): { status: number; result: unknown } {
    this.requireBot(req);
    const recipient = String(body?.json['recipient_id'] ?? '');
    if (!/^\d{1,20}$/.test(recipient))
      throw invalidForm('recipient_id', 'NUMBER_TYPE_COERCE', 'Value is not snowflake.');
    let channelId = this.directChannels.get(recipient);
    if (!channelId) {
      channelId = this.nextId();
      this.directChannels.set(recipient, channelId);
    }
    return { status: 200, result: { id: channelId, type: 1, recipients: [{ id: recipient }] } };
  }

  private channelMessage(
    channelId: string,
    req: IncomingMessage,
    body: RequestBody | undefined,
  ): { status: number; result: unknown } {
    this.requireBot(req);
    // A message sent as the bot mentions everything its content names unless allowed_mentions says otherwise.
    const message = this.buildMessage('', body?.json ?? {}, body, true, ['users', 'roles', 'everyone']);
    const list = this.channels.get(channelId) ?? [];
    list.push(message);
    this.channels.set(channelId, list);
    return { status: 200, result: { ...toApiMessage(message), channel_id: channelId } };
  }

  private buildMessage(
    token: string,
    data: Record<string, unknown>,
    body: RequestBody | undefined,
    requireContent: boolean,
    defaultParse: string[],
  ): DiscordMessage {
    const content = String(data['content'] ?? '');
    checkContent(content);
    const attachments = this.collectAttachments(token, data, body, []);
    const embeds = Array.isArray(data['embeds']) ? data['embeds'] : [];
    if (requireContent && content === '' && attachments.length === 0 && embeds.length === 0) {
      throw new DiscordApiError(400, { message: 'Cannot send an empty message', code: 50006 });
    }
    const flags = Number(data['flags'] ?? 0);
    if ((flags & ~(EPHEMERAL | 4 | 4096 | 8192 | 32768)) !== 0)
      throw invalidForm('flags', 'MESSAGE_FLAGS_INVALID', 'Invalid flags');
    return {
      id: this.nextId(),
      content,
      flags,
      embeds,
      attachments,
      versions: [content],
      pinged: pingsOf(content, data['allowed_mentions'], defaultParse),
    };
  }

  /** Keeps listed existing attachments and adds the uploaded `files[n]` referenced by `attachments[].id`. */
  private collectAttachments(
    token: string,
    data: Record<string, unknown>,
    body: RequestBody | undefined,
    existing: DiscordAttachment[],
  ): DiscordAttachment[] {
    const limit = this.attachmentLimits.get(token) ?? DEFAULT_ATTACHMENT_LIMIT;
    const listed = Array.isArray(data['attachments'])
      ? (data['attachments'] as Record<string, unknown>[])
      : [];
    const result: DiscordAttachment[] = [];
    for (const entry of listed) {
      const kept = existing.find((a) => a.id === String(entry['id']));
      if (kept) {
        result.push(kept);
        continue;
      }
      const file = body?.files.get(`files[${String(entry['id'])}]`);
      if (!file) throw invalidForm('attachments', 'ATTACHMENT_NOT_FOUND', 'Attachment data not found');
      result.push({
        id: this.nextId(),
        filename: String(entry['filename'] ?? file.filename),
        contentType: file.contentType,
        bytes: file.bytes,
      });
    }
    if (listed.length === 0 && body) {
      for (const file of body.files.values()) result.push({ id: this.nextId(), ...file });
    }
    for (const attachment of result) {
      if (attachment.bytes.length > limit) {
        throw new DiscordApiError(413, { message: 'Request entity too large', code: 40005 });
      }
    }
    return result;
  }

  private registerCommands(
    method: string,
    appId: string,
    guildId: string | undefined,
    req: IncomingMessage,
    body: RequestBody | undefined,
  ): { status: number; result: unknown } {
    if (req.headers.authorization !== `Bot ${this.botToken}`) {
      throw new DiscordApiError(401, { message: '401: Unauthorized', code: 0 });
    }
    if (appId !== this.applicationId)
      throw new DiscordApiError(403, { message: 'Missing Access', code: 50001 });
    const key = guildId ? `guild:${guildId}` : 'global';
    if (method === 'GET') return { status: 200, result: this.commands.get(key) ?? [] };
    if (method !== 'PUT') throw new DiscordApiError(405, { message: '405: Method Not Allowed', code: 0 });
    const list = (body?.json as unknown as Record<string, unknown>[] | undefined) ?? [];
    if (!Array.isArray(list) || list.length > 100)
      throw invalidForm('commands', 'BASE_TYPE_MAX_LENGTH', 'Too many');
    for (const command of list) validateCommand(command);
    const stored = list.map((c) => ({
      id: this.nextId(),
      application_id: appId,
      version: this.nextId(),
      type: 1,
      ...c,
    }));
    this.commands.set(key, stored);
    return { status: 200, result: stored };
  }
}

async function readRequestBody(raw: Buffer, contentType: string | undefined): Promise<RequestBody> {
  const parsed = await parseBody(raw, contentType);
  const files = new Map(Object.entries(parsed.files));
  if (contentType?.startsWith('multipart/form-data')) {
    const json = asObject(parsed.fields['payload_json']);
    return { json: (json ?? {}) as Record<string, unknown>, files };
  }
  // A JSON array (bulk command overwrite) arrives as a non-record; keep it as-is.
  const value = contentType?.startsWith('application/json')
    ? JSON.parse(raw.toString('utf8'))
    : parsed.fields;
  return { json: value as Record<string, unknown>, files };
}

/** Interaction responses and webhooks notify mentioned users only, unless allowed_mentions says more. */
const INTERACTION_DEFAULT_PARSE = ['users'];

/**
 * Whom a message's content notifies: `@everyone`/`@here` when `everyone` may be parsed, `<@id>`
 * users when `users` may be parsed or the user is listed in `allowed_mentions.users`.
 */
function pingsOf(
  content: string,
  allowed: unknown,
  defaultParse: string[],
): { everyone: boolean; users: string[] } {
  const rules =
    typeof allowed === 'object' && allowed !== null ? (allowed as Record<string, unknown>) : undefined;
  const parse = Array.isArray(rules?.['parse']) ? (rules['parse'] as string[]) : rules ? [] : defaultParse;
  const listed = Array.isArray(rules?.['users']) ? (rules['users'] as string[]) : [];
  const named = [...content.matchAll(/<@!?(\d{1,20})>/g)].map((m) => m[1]!);
  return {
    everyone: parse.includes('everyone') && /@(everyone|here)\b/.test(content),
    users: named.filter((id) => parse.includes('users') || listed.includes(id)),
  };
}

function checkContent(content: string): void {
  if (content.length > MAX_CONTENT) {
    throw invalidForm('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CONTENT} or fewer in length.`);
  }
}

function invalidForm(field: string, code: string, message: string): DiscordApiError {
  return new DiscordApiError(400, {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [field]: { _errors: [{ code, message }] } },
  });
}

function validateCommand(command: Record<string, unknown>, topLevel = true): void {
  const name = String(command['name'] ?? '');
  const description = String(command['description'] ?? '');
  // USER (2) and MESSAGE (3) commands: any case and spaces in the name, and an empty description.
  // (Options have types of their own: 3 there is a string option.)
  if (topLevel && (command['type'] === 2 || command['type'] === 3)) {
    if (name.trim().length < 1 || name.length > 32)
      throw invalidForm('name', 'APPLICATION_COMMAND_INVALID_NAME', 'Invalid name');
    if (description !== '')
      throw invalidForm('description', 'BASE_TYPE_BAD_LENGTH', 'Must be empty for context menu commands.');
    return;
  }
  if (!/^[-_\p{Ll}\p{N}]{1,32}$/u.test(name))
    throw invalidForm('name', 'APPLICATION_COMMAND_INVALID_NAME', 'Invalid name');
  if (description.length < 1 || description.length > 100) {
    throw invalidForm('description', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  const options = Array.isArray(command['options']) ? (command['options'] as Record<string, unknown>[]) : [];
  if (options.length > 25)
    throw invalidForm('options', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  for (const option of options) validateCommand(option, false);
}

function toApiMessage(message: DiscordMessage): Record<string, unknown> {
  return {
    id: message.id,
    type: 20,
    content: message.content,
    flags: message.flags,
    embeds: message.embeds,
    attachments: message.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.bytes.length,
      content_type: a.contentType,
      url: `https://cdn.discordapp.com/attachments/0/${a.id}/${a.filename}`,
    })),
    channel_id: '1',
    author: { id: '1', username: 'AIport', bot: true },
    timestamp: new Date(0).toISOString(),
  };
}

export {
  DiscordInbound,
  discordComponentPress,
  discordInteraction,
  discordMessageCommand,
} from './platform-discord-inbound.js';
