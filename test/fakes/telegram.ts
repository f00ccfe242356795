/**
 * A fake Telegram Bot API server: `POST /bot<TOKEN>/<method>` with JSON, url-encoded or multipart
 * bodies (grammY's `attach://<id>` uploads resolved), answered in the `{ok,result}` envelope.
 * It enforces the limits a real bot hits (text length after entity parsing, caption length,
 * HTML parse errors, "message is not modified", flood control) and keeps a per-chat transcript
 * of what a person would see.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  asNumber,
  asObject,
  asString,
  FaultQueue,
  type ParsedBody,
  parseBody,
  type RunningServer,
  sendJson,
  startFakeServer,
  type UploadedFile,
} from './platform-http.js';
import type { TelegramEntity } from './platform-telegram-html.js';
import {
  ApiError,
  chatId,
  checkReplyMarkup,
  MAX_CAPTION,
  MAX_TEXT,
  nowSeconds,
  parseText,
  requireString,
  resolveInputFile,
  sumPrices,
} from './platform-telegram-rules.js';

export interface TelegramCall {
  method: string;
  params: Record<string, unknown>;
  files: Record<string, UploadedFile>;
  /** The error description when the fake refused the call. */
  error?: string;
}

export type TranscriptKind = 'text' | 'photo' | 'video' | 'document' | 'invoice';

export interface TranscriptMessage {
  messageId: number;
  kind: TranscriptKind;
  /** What the person reads now: the text (or caption) after entity parsing and after edits. */
  text: string;
  entities: TelegramEntity[];
  parseMode?: string;
  /** Every visible text this message had, oldest first. */
  versions: string[];
  file?: UploadedFile | { reference: string };
  /** The inline keyboard now attached, if any. */
  replyMarkup?: unknown;
  /** Removed by deleteMessage: nobody sees it any more. */
  deleted?: boolean;
}

export interface ChatTranscript {
  messages: TranscriptMessage[];
  /** Every draft update, in order (sendMessageDraft). */
  drafts: { draftId: number; text: string }[];
  actions: string[];
}

export interface TelegramFault {
  errorCode: number;
  description: string;
  retryAfter?: number;
}

const BOT_USER = {
  id: 7000000001,
  is_bot: true,
  first_name: 'AIport',
  username: 'aiport_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

type Handler = (params: Record<string, unknown>, body: ParsedBody) => unknown;

export class FakeTelegram {
  readonly calls: TelegramCall[] = [];
  readonly commands = new Map<string, unknown[]>();
  /** Files people "sent" (see `addFile`), served by getFile and `/file/bot<token>/<path>`. */
  private readonly files = new Map<string, Buffer>();
  webhook: { url: string; secretToken?: string } | undefined;
  private readonly chats = new Map<number, ChatTranscript>();
  private readonly faults = new FaultQueue<TelegramFault>();
  private readonly updates: unknown[] = [];
  private readonly pollers = new Set<() => void>();
  /** Users who never opened a private chat with the bot: Telegram refuses to message them there. */
  private readonly notStarted = new Set<number>();
  private nextMessageId = 1;
  private nextUpdateId = 1;
  private running: RunningServer | undefined;

  private constructor(readonly token: string) {}

  static async start(token = '123456:TEST-token'): Promise<FakeTelegram> {
    const fake = new FakeTelegram(token);
    fake.running = await startFakeServer((req, raw, res) => fake.handle(req, raw, res));
    return fake;
  }

  /** For grammY's `client.apiRoot`. */
  get apiRoot(): string {
    return this.running!.origin;
  }

  async close(): Promise<void> {
    for (const wake of this.pollers) wake();
    await this.running?.close();
  }

  transcript(chatId: number): ChatTranscript {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { messages: [], drafts: [], actions: [] };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  callsOf(method: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The next `times` calls of `method` (or `*`) fail with this error instead of running. */
  injectError(method: string, fault: TelegramFault, times = 1): void {
    this.faults.add(method, fault, times);
  }

  /**
   * Marks a user as never having started the bot: sends to their private chat answer 403
   * "bot can't initiate conversation with a user" until `startedBy` (they press Start).
   */
  neverStarted(userId: number): void {
    this.notStarted.add(userId);
  }

  startedBy(userId: number): void {
    this.notStarted.delete(userId);
  }

  injectFloodWait(method: string, retryAfter: number, times = 1): void {
    this.injectError(
      method,
      { errorCode: 429, description: `Too Many Requests: retry after ${retryAfter}`, retryAfter },
      times,
    );
  }

  /** Queues an update for getUpdates; `update_id` is assigned when absent. */
  pushUpdate(update: Record<string, unknown>): number {
    const updateId = typeof update['update_id'] === 'number' ? update['update_id'] : this.nextUpdateId++;
    this.nextUpdateId = Math.max(this.nextUpdateId, updateId + 1);
    this.updates.push({ ...update, update_id: updateId });
    for (const wake of this.pollers) wake();
    return updateId;
  }

  /**
   * Delivers an update to the webhook set with setWebhook (or to `url`), as Telegram does: a JSON
   * POST carrying `X-Telegram-Bot-Api-Secret-Token` when a secret was set. Pass the same
   * `update_id` again to simulate a redelivery.
   */
  async deliverWebhook(
    update: Record<string, unknown>,
    options: { url?: string; secretToken?: string } = {},
  ): Promise<Response> {
    const url = options.url ?? this.webhook?.url;
    if (!url) throw new Error('no webhook set');
    const updateId = typeof update['update_id'] === 'number' ? update['update_id'] : this.nextUpdateId++;
    const secret = options.secretToken ?? this.webhook?.secretToken;
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }),
      },
      body: JSON.stringify({ ...update, update_id: updateId }),
    });
  }

  /** Stores a file as if a user had sent it; returns its `file_id` for an update's `photo` sizes. */
  addFile(bytes: Buffer): string {
    const fileId = `userfile-${this.files.size + 1}`;
    this.files.set(fileId, bytes);
    return fileId;
  }

  private async handle(req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const download = /^\/file\/bot([^/]+)\/files\/([\w-]+)$/.exec(url.pathname);
    if (download) {
      const bytes = download[1] === this.token ? this.files.get(download[2]!) : undefined;
      if (!bytes) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    const match = /^\/bot([^/]+)\/(?:test\/)?([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== this.token) {
      return sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const body = await parseBody(raw, req.headers['content-type']);
    const params: Record<string, unknown> = {};
    for (const [key, value] of url.searchParams) params[key] = value;
    for (const [key, value] of Object.entries(body.fields)) params[key] = asObject(value);
    const call: TelegramCall = { method, params, files: body.files };
    this.calls.push(call);

    // A bot cannot start a private chat: until the user has written to it (or pressed Start),
    // anything sent to their private chat is refused with 403, as the Bot API does.
    const target = asNumber(params['chat_id']);
    if (/^send/.test(method) && target !== undefined && this.notStarted.has(target)) {
      call.error = "Forbidden: bot can't initiate conversation with a user";
      return sendJson(res, 403, { ok: false, error_code: 403, description: call.error });
    }
    const fault = this.faults.take(method);
    if (fault) {
      call.error = fault.description;
      return sendJson(res, fault.errorCode, {
        ok: false,
        error_code: fault.errorCode,
        description: fault.description,
        ...(fault.retryAfter === undefined ? {} : { parameters: { retry_after: fault.retryAfter } }),
      });
    }
    const handler = this.handlers[method];
    if (!handler) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    try {
      const result = await handler(params, body);
      sendJson(res, 200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      call.error = error.description;
      sendJson(res, error.errorCode, {
        ok: false,
        error_code: error.errorCode,
        description: error.description,
      });
    }
  }

  private readonly handlers: Record<string, Handler> = {
    getMe: () => BOT_USER,
    getFile: (p) => {
      const fileId = requireString(p, 'file_id');
      const bytes = this.files.get(fileId);
      if (!bytes) throw new ApiError(400, 'Bad Request: invalid file_id');
      return {
        file_id: fileId,
        file_unique_id: `u-${fileId}`,
        file_size: bytes.length,
        file_path: `files/${fileId}`,
      };
    },
    sendMessage: (p) => this.sendText(p),
    editMessageText: (p) => this.editText(p),
    deleteMessage: (p) => {
      const message = this.transcript(chatId(p)).messages.find(
        (m) => m.messageId === asNumber(p['message_id']),
      );
      if (!message || message.deleted) throw new ApiError(400, 'Bad Request: message to delete not found');
      message.deleted = true;
      return true;
    },
    sendMessageDraft: (p) => this.sendDraft(p),
    sendChatAction: (p) => {
      this.transcript(chatId(p)).actions.push(requireString(p, 'action'));
      return true;
    },
    sendPhoto: (p, b) => this.sendMedia(p, b, 'photo'),
    sendVideo: (p, b) => this.sendMedia(p, b, 'video'),
    sendDocument: (p, b) => this.sendMedia(p, b, 'document'),
    sendMediaGroup: (p, b) => this.sendMediaGroup(p, b),
    answerCallbackQuery: (p) => {
      requireString(p, 'callback_query_id');
      const text = asString(p['text']) ?? '';
      if (text.length > 200) throw new ApiError(400, 'Bad Request: text is too long');
      return true;
    },
    setMyCommands: (p) => this.setCommands(p),
    getMyCommands: (p) => this.commands.get(asString(p['language_code']) ?? '') ?? [],
    deleteMyCommands: (p) => this.commands.delete(asString(p['language_code']) ?? '') || true,
    getUpdates: (p) => this.getUpdates(p),
    setWebhook: (p) => {
      const url = asString(p['url']) ?? '';
      const secretToken = asString(p['secret_token']);
      if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
        throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
      }
      this.webhook = url === '' ? undefined : { url, ...(secretToken ? { secretToken } : {}) };
      return true;
    },
    deleteWebhook: (p) => {
      this.webhook = undefined;
      if (p['drop_pending_updates'] === true || p['drop_pending_updates'] === 'true') this.updates.length = 0;
      return true;
    },
    getWebhookInfo: () => ({
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.updates.length,
    }),
    sendInvoice: (p) => {
      const currency = requireString(p, 'currency');
      const prices = p['prices'];
      if (!Array.isArray(prices) || prices.length === 0)
        throw new ApiError(400, 'Bad Request: prices must be non-empty');
      // Digital goods are paid in Telegram Stars: currency XTR, no payment provider, one price.
      const providerToken = asString(p['provider_token']) ?? '';
      if (currency === 'XTR' && (providerToken !== '' || prices.length !== 1)) {
        throw new ApiError(400, 'Bad Request: invalid invoice for payments in Telegram Stars');
      }
      if (currency !== 'XTR' && providerToken === '') {
        throw new ApiError(400, 'Bad Request: PAYMENT_PROVIDER_INVALID');
      }
      const chat = this.transcript(chatId(p));
      const title = requireString(p, 'title');
      const invoice = {
        title,
        description: requireString(p, 'description'),
        currency,
        total_amount: sumPrices(prices),
      };
      const message = this.record(chat, 'invoice', title, [], undefined);
      return { ...this.messageObject(chatId(p), message), invoice };
    },
    answerPreCheckoutQuery: (p) => {
      requireString(p, 'pre_checkout_query_id');
      if (p['ok'] === undefined) throw new ApiError(400, 'Bad Request: ok is required');
      return true;
    },
    refundStarPayment: (p) => {
      requireString(p, 'telegram_payment_charge_id');
      if (asNumber(p['user_id']) === undefined) throw new ApiError(400, 'Bad Request: user_id is required');
      return true;
    },
  };

  private sendText(p: Record<string, unknown>): unknown {
    const id = chatId(p);
    const parsed = parseText(p, 'text', MAX_TEXT, 1);
    const markup = checkReplyMarkup(p['reply_markup']);
    const message = this.record(
      this.transcript(id),
      'text',
      parsed.text,
      parsed.entities,
      asString(p['parse_mode']),
    );
    if (markup !== undefined) message.replyMarkup = markup;
    return this.messageObject(id, message);
  }

  private editText(p: Record<string, unknown>): unknown {
    const id = chatId(p);
    const messageId = asNumber(p['message_id']);
    const message = this.transcript(id).messages.find((m) => m.messageId === messageId);
    if (!message) throw new ApiError(400, 'Bad Request: message to edit not found');
    if (message.kind !== 'text')
      throw new ApiError(400, 'Bad Request: there is no text in the message to edit');
    const parsed = parseText(p, 'text', MAX_TEXT, 1);
    const markup = checkReplyMarkup(p['reply_markup']);
    if (
      parsed.text === message.text &&
      JSON.stringify(parsed.entities) === JSON.stringify(message.entities) &&
      JSON.stringify(markup) === JSON.stringify(message.replyMarkup)
    ) {
      throw new ApiError(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    message.text = parsed.text;
    message.entities = parsed.entities;
    if (markup === undefined) delete message.replyMarkup;
    else message.replyMarkup = markup;
    message.versions.push(parsed.text);
    return { ...this.messageObject(id, message), edit_date: nowSeconds() };
  }

  private sendDraft(p: Record<string, unknown>): true {
    const id = chatId(p);
    if (id <= 0) throw new ApiError(400, 'Bad Request: drafts can be sent only to private chats');
    const draftId = asNumber(p['draft_id']);
    if (!draftId) throw new ApiError(400, 'Bad Request: draft_id must be non-zero');
    const parsed = parseText(p, 'text', MAX_TEXT, 0);
    this.transcript(id).drafts.push({ draftId, text: parsed.text });
    return true;
  }

  private sendMedia(
    p: Record<string, unknown>,
    body: ParsedBody,
    kind: 'photo' | 'video' | 'document',
  ): unknown {
    const id = chatId(p);
    const file = resolveInputFile(p[kind], body, kind);
    const caption =
      p['caption'] === undefined ? { text: '', entities: [] } : parseText(p, 'caption', MAX_CAPTION, 0);
    const message = this.record(
      this.transcript(id),
      kind,
      caption.text,
      caption.entities,
      asString(p['parse_mode']),
    );
    message.file = file;
    const base = this.messageObject(id, message);
    const size = 'bytes' in file ? file.bytes.length : 0;
    const fileRef = {
      file_id: `file-${message.messageId}`,
      file_unique_id: `u${message.messageId}`,
      file_size: size,
    };
    if (kind === 'photo')
      return { ...base, photo: [{ ...fileRef, width: 1024, height: 1024 }], caption: caption.text };
    return { ...base, [kind]: fileRef, caption: caption.text };
  }

  /** An album: 2–10 items, each sent like sendPhoto/sendVideo with its own optional caption. */
  private sendMediaGroup(p: Record<string, unknown>, body: ParsedBody): unknown[] {
    const media = p['media'];
    if (!Array.isArray(media) || media.length < 2 || media.length > 10) {
      throw new ApiError(400, 'Bad Request: wrong number of media in the album');
    }
    const items = media as { type?: unknown; media?: unknown; caption?: unknown; parse_mode?: unknown }[];
    const kinds = items.map((item) => {
      if (item.type !== 'photo' && item.type !== 'video' && item.type !== 'document') {
        throw new ApiError(400, 'Bad Request: unsupported media type in the album');
      }
      return item.type;
    });
    // Validate every item before recording any, as one album is all or nothing.
    for (const [index, item] of items.entries()) {
      resolveInputFile(item.media, body, kinds[index]!);
      if (item.caption !== undefined)
        parseText({ caption: item.caption, parse_mode: item.parse_mode }, 'caption', MAX_CAPTION, 0);
    }
    const groupId = `album-${this.nextMessageId}`;
    return items.map((item, index) => {
      const sent = this.sendMedia(
        {
          chat_id: p['chat_id'],
          [kinds[index]!]: item.media,
          caption: item.caption,
          parse_mode: item.parse_mode,
        },
        body,
        kinds[index]!,
      ) as Record<string, unknown>;
      return { ...sent, media_group_id: groupId };
    });
  }

  private setCommands(p: Record<string, unknown>): true {
    const commands = p['commands'];
    if (!Array.isArray(commands) || commands.length > 100)
      throw new ApiError(400, 'Bad Request: too many commands');
    for (const entry of commands as { command?: unknown; description?: unknown }[]) {
      const command = asString(entry.command) ?? '';
      const description = asString(entry.description) ?? '';
      if (!/^[a-z0-9_]{1,32}$/.test(command)) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
      if (description.length < 1 || description.length > 256) {
        throw new ApiError(400, 'Bad Request: command description is invalid');
      }
    }
    this.commands.set(asString(p['language_code']) ?? '', commands);
    return true;
  }

  private async getUpdates(p: Record<string, unknown>): Promise<unknown[]> {
    if (this.webhook) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = asNumber(p['offset']) ?? 0;
    const limit = asNumber(p['limit']) ?? 100;
    const timeoutS = asNumber(p['timeout']) ?? 0;
    const confirm = () => {
      while (this.updates.length > 0 && (this.updates[0] as { update_id: number }).update_id < offset)
        this.updates.shift();
    };
    confirm();
    if (this.updates.length === 0 && timeoutS > 0 && this.running?.server.listening) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.pollers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutS * 1000);
        this.pollers.add(wake);
      });
      confirm();
    }
    return this.updates.slice(0, limit);
  }

  private record(
    chat: ChatTranscript,
    kind: TranscriptKind,
    text: string,
    entities: TelegramEntity[],
    parseMode: string | undefined,
  ): TranscriptMessage {
    const message: TranscriptMessage = {
      messageId: this.nextMessageId++,
      kind,
      text,
      entities,
      versions: [text],
      ...(parseMode ? { parseMode } : {}),
    };
    chat.messages.push(message);
    return message;
  }

  private messageObject(id: number, message: TranscriptMessage): Record<string, unknown> {
    return {
      message_id: message.messageId,
      from: BOT_USER,
      chat: id > 0 ? { id, type: 'private', first_name: 'User' } : { id, type: 'supergroup', title: 'Group' },
      date: nowSeconds(),
      ...(message.kind === 'text' ? { text: message.text } : {}),
      ...(message.entities.length > 0 ? { entities: message.entities } : {}),
    };
  }
}
