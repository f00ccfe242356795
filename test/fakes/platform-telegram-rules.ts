/**
 * The Bot API's parameter rules as the fake Telegram server enforces them: chat ids, required
 * strings, text and caption limits after entity parsing, inline keyboards, and input files
 * (including grammY's `attach://<id>` multipart references).
 */
import { asNumber, asString, type ParsedBody, type UploadedFile } from './platform-http.js';
import { parseTelegramHtml, type TelegramEntity } from './platform-telegram-html.js';

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

/** A Bot API error answered as `{ok:false,error_code,description}`. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
  ) {
    super(description);
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function chatId(p: Record<string, unknown>): number {
  const id = asNumber(p['chat_id']);
  if (id === undefined) throw new ApiError(400, 'Bad Request: chat not found');
  return id;
}

export function requireString(p: Record<string, unknown>, key: string): string {
  const value = asString(p[key]);
  if (value === undefined) throw new ApiError(400, `Bad Request: parameter "${key}" is required`);
  return value;
}

/** Applies the parse mode, then the length limit on the visible text, as Telegram does. */
export function parseText(
  p: Record<string, unknown>,
  key: 'text' | 'caption',
  max: number,
  min: number,
): { text: string; entities: TelegramEntity[] } {
  const raw = asString(p[key]) ?? '';
  let parsed: { text: string; entities: TelegramEntity[] } = { text: raw, entities: [] };
  if (asString(p['parse_mode']) === 'HTML') {
    const result = parseTelegramHtml(raw);
    if (!result.ok) throw new ApiError(400, result.error);
    parsed = { text: result.text, entities: result.entities };
  }
  const visible = parsed.text.trim();
  if (visible.length < min) throw new ApiError(400, `Bad Request: message ${key} is empty`);
  if (parsed.text.length > max) {
    throw new ApiError(
      400,
      key === 'text' ? 'Bad Request: message is too long' : 'Bad Request: message caption is too long',
    );
  }
  return parsed;
}

/** Inline keyboards: button text required, `callback_data` 1–64 bytes. */
export function checkReplyMarkup(value: unknown): unknown {
  if (value === undefined) return undefined;
  const keyboard = (value as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(keyboard)) return value;
  for (const row of keyboard) {
    if (!Array.isArray(row))
      throw new ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array of Arrays');
    for (const button of row as { text?: unknown; callback_data?: unknown }[]) {
      if (typeof button.text !== 'string' || button.text === '')
        throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      if (button.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(button.callback_data));
        if (bytes < 1 || bytes > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
    }
  }
  return value;
}

export function resolveInputFile(
  value: unknown,
  body: ParsedBody,
  kind: string,
): UploadedFile | { reference: string } {
  const direct = body.files[kind];
  if (direct) return direct;
  const reference = asString(value);
  if (reference === undefined || reference === '') {
    throw new ApiError(400, `Bad Request: there is no ${kind} in the request`);
  }
  if (reference.startsWith('attach://')) {
    const attached = body.files[reference.slice('attach://'.length)];
    if (!attached) throw new ApiError(400, `Bad Request: wrong file identifier/HTTP URL specified`);
    return attached;
  }
  return { reference };
}

export function sumPrices(prices: unknown[]): number {
  let total = 0;
  for (const price of prices) total += asNumber((price as { amount?: unknown }).amount) ?? 0;
  return total;
}
