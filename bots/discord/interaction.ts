/**
 * Reads the fields the bot needs from an incoming interaction (already signature-verified),
 * without trusting its shape: anything malformed yields `undefined` and should be answered 400.
 */

export type OptionValue = string | number | boolean;

interface InteractionBase {
  id: string;
  token: string;
  applicationId: string;
  userId: string;
  guildId?: string;
  channelId?: string;
  /** The user's client locale (`id`, `en-US`, ...). */
  locale?: string;
  /** Bytes; Discord's per-interaction upload limit. */
  attachmentSizeLimit?: number;
}

/** A file attached to an interaction (`data.resolved.attachments`), as Discord states it. */
export interface ParsedAttachment {
  id: string;
  filename: string;
  /** Bytes. */
  size: number;
  url: string;
  contentType?: string;
  /** Voice messages: their length in seconds, as the sender's client states it. */
  durationSecs?: number;
}

/** The message a message command (a context-menu "app" on a message) was used on. */
export interface TargetMessage {
  content: string;
  attachments: ParsedAttachment[];
  /** How many stickers it carries (`sticker_items`). */
  stickers: number;
}

export type ParsedInteraction =
  | { kind: 'ping' }
  | (InteractionBase & {
      kind: 'command';
      name: string;
      options: Record<string, OptionValue>;
      /** Attachment options' files by attachment id (the option's value). */
      attachments: Record<string, ParsedAttachment>;
      /** Message commands only. */
      target?: TargetMessage;
    })
  | (InteractionBase & { kind: 'autocomplete'; name: string; focused?: { name: string; value: string } })
  | (InteractionBase & { kind: 'component'; customId: string; values: string[] })
  | (InteractionBase & { kind: 'modal'; customId: string });

/** The answer to a PING (sent when the endpoint URL is saved, and from time to time). */
export const PONG_RESPONSE = { type: 1 } as const;

export function parseInteraction(body: unknown): ParsedInteraction | undefined {
  if (!isRecord(body) || typeof body['type'] !== 'number') return undefined;
  if (body['type'] === 1) return { kind: 'ping' };
  const base = parseBase(body);
  if (!base) return undefined;
  const data = isRecord(body['data']) ? body['data'] : {};
  switch (body['type']) {
    case 2: {
      if (typeof data['name'] !== 'string') return undefined;
      const resolved = isRecord(data['resolved']) ? data['resolved'] : {};
      const target = data['type'] === 3 ? parseTarget(resolved, data['target_id']) : undefined;
      if (data['type'] === 3 && !target) return undefined;
      return {
        ...base,
        kind: 'command',
        name: data['name'],
        options: flattenOptions(data['options']),
        attachments: parseAttachments(resolved['attachments']),
        ...(target ? { target } : {}),
      };
    }
    case 4: {
      if (typeof data['name'] !== 'string') return undefined;
      const focused = findFocused(data['options']);
      return { ...base, kind: 'autocomplete', name: data['name'], ...(focused ? { focused } : {}) };
    }
    case 3:
      if (typeof data['custom_id'] !== 'string') return undefined;
      return {
        ...base,
        kind: 'component',
        customId: data['custom_id'],
        values: Array.isArray(data['values'])
          ? data['values'].filter((v): v is string => typeof v === 'string')
          : [],
      };
    case 5:
      if (typeof data['custom_id'] !== 'string') return undefined;
      return { ...base, kind: 'modal', customId: data['custom_id'] };
    default:
      return undefined;
  }
}

function parseBase(body: Record<string, unknown>): InteractionBase | undefined {
  const member = isRecord(body['member']) ? body['member'] : undefined;
  const user = isRecord(member?.['user'])
    ? member['user']
    : isRecord(body['user'])
      ? body['user']
      : undefined;
  const { id, token, application_id: applicationId } = body;
  if (typeof id !== 'string' || typeof token !== 'string' || typeof applicationId !== 'string')
    return undefined;
  if (typeof user?.['id'] !== 'string') return undefined;
  const channel = isRecord(body['channel']) ? body['channel']['id'] : body['channel_id'];
  return {
    id,
    token,
    applicationId,
    userId: user['id'],
    ...(typeof body['guild_id'] === 'string' ? { guildId: body['guild_id'] } : {}),
    ...(typeof channel === 'string' ? { channelId: channel } : {}),
    ...(typeof body['locale'] === 'string' ? { locale: body['locale'] } : {}),
    ...(typeof body['attachment_size_limit'] === 'number'
      ? { attachmentSizeLimit: body['attachment_size_limit'] }
      : {}),
  };
}

/** Option values by name; subcommand groups and subcommands are flattened into their leaves. */
function flattenOptions(options: unknown): Record<string, OptionValue> {
  const result: Record<string, OptionValue> = {};
  if (!Array.isArray(options)) return result;
  for (const option of options) {
    if (!isRecord(option) || typeof option['name'] !== 'string') continue;
    const value = option['value'];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      result[option['name']] = value;
    } else if (Array.isArray(option['options'])) {
      Object.assign(result, flattenOptions(option['options']));
    }
  }
  return result;
}

function findFocused(options: unknown): { name: string; value: string } | undefined {
  if (!Array.isArray(options)) return undefined;
  for (const option of options) {
    if (!isRecord(option)) continue;
    if (option['focused'] === true && typeof option['name'] === 'string') {
      return { name: option['name'], value: String(option['value'] ?? '') };
    }
    const nested = findFocused(option['options']);
    if (nested) return nested;
  }
  return undefined;
}

/** `resolved.attachments` (a map by id); malformed entries are left out. */
function parseAttachments(value: unknown): Record<string, ParsedAttachment> {
  const result: Record<string, ParsedAttachment> = {};
  if (!isRecord(value)) return result;
  for (const [id, raw] of Object.entries(value)) {
    const attachment = parseAttachment(raw);
    if (attachment && attachment.id === id) result[id] = attachment;
  }
  return result;
}

function parseAttachment(raw: unknown): ParsedAttachment | undefined {
  if (!isRecord(raw)) return undefined;
  const { id, filename, size, url } = raw;
  if (typeof id !== 'string' || typeof filename !== 'string' || typeof url !== 'string') return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  const type = raw['content_type'];
  const duration = raw['duration_secs'];
  return {
    id,
    filename,
    size,
    url,
    ...(typeof type === 'string' ? { contentType: type } : {}),
    ...(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0
      ? { durationSecs: duration }
      : {}),
  };
}

/** The message a message command targets, from `resolved.messages[target_id]`. */
function parseTarget(resolved: Record<string, unknown>, targetId: unknown): TargetMessage | undefined {
  if (typeof targetId !== 'string' || !isRecord(resolved['messages'])) return undefined;
  const message = resolved['messages'][targetId];
  if (!isRecord(message)) return undefined;
  const attachments = Array.isArray(message['attachments'])
    ? message['attachments'].map(parseAttachment).filter((a): a is ParsedAttachment => a !== undefined)
    : [];
  return {
    content: typeof message['content'] === 'string' ? message['content'] : '',
    attachments,
    stickers: Array.isArray(message['sticker_items']) ? message['sticker_items'].length : 0,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
