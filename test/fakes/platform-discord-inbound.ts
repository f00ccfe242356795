/**
 * Plays Discord's side of HTTP interactions: holds an Ed25519 keypair, signs
 * `X-Signature-Timestamp + raw body` into `X-Signature-Ed25519` exactly as Discord does, and
 * exposes the public key as the hex string the Developer Portal shows.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

export interface DiscordSignOptions {
  /** Unix seconds as a string header; defaults to now. */
  timestamp?: string;
  /** Overrides the signature (forged-request tests). */
  signature?: string;
}

export class DiscordInbound {
  readonly publicKeyHex: string;
  private readonly privateKey: KeyObject;

  constructor(private readonly url: string) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    // The SPKI DER of an Ed25519 key is a 12-byte prefix followed by the raw 32-byte key.
    this.publicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  }

  sign(timestamp: string, rawBody: string): string {
    return sign(null, Buffer.from(timestamp + rawBody), this.privateKey).toString('hex');
  }

  headers(rawBody: string, options: DiscordSignOptions = {}): Record<string, string> {
    const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
    return {
      'content-type': 'application/json',
      'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
      'x-signature-timestamp': timestamp,
      'x-signature-ed25519': options.signature ?? this.sign(timestamp, rawBody),
    };
  }

  async send(interaction: Record<string, unknown>, options: DiscordSignOptions = {}): Promise<Response> {
    const body = JSON.stringify(interaction);
    return fetch(this.url, { method: 'POST', headers: this.headers(body, options), body });
  }

  /**
   * Sends an interaction and, like Discord, takes a 200 JSON answer (`{type:4|5|...}`) as the
   * initial response, so the interaction's webhook routes on the fake work from then on.
   */
  async deliver(
    interaction: Record<string, unknown> & { token: string },
    recorder: { recordInitialResponse(token: string, response: Record<string, unknown>): void },
    options: DiscordSignOptions = {},
  ): Promise<{ status: number; body: unknown }> {
    const response = await this.send(interaction, options);
    const text = await response.text();
    const body = parseMaybeJson(text);
    if (response.status === 200 && typeof body === 'object' && body !== null && 'type' in body) {
      recorder.recordInitialResponse(interaction.token, body as Record<string, unknown>);
    }
    return { status: response.status, body };
  }

  async ping(): Promise<Response> {
    return this.send({
      id: snowflake(),
      application_id: '1100000000000000001',
      type: 1,
      token: 'ping',
      version: 1,
    });
  }
}

export interface SlashCommandInput {
  applicationId: string;
  name: string;
  options?: { name: string; type: number; value: string | number | boolean }[];
  /** `data.resolved`, e.g. `{ attachments: { [id]: attachment } }` for attachment options (type 11). */
  resolved?: Record<string, unknown>;
  userId?: string;
  /** Present for guild interactions (the user then arrives as `member.user`). */
  guildId?: string;
  locale?: string;
  attachmentSizeLimit?: number;
  /** Omit for a DM interaction; defaults to a guild text channel. */
  channelId?: string | null;
  /** When Discord created the interaction (its id's timestamp), ms; defaults to now. */
  createdAt?: number;
}

/** An APPLICATION_COMMAND interaction as Discord sends it, with a fresh id and token. */
export function discordInteraction(
  input: SlashCommandInput,
): Record<string, unknown> & { id: string; token: string } {
  const user = { id: input.userId ?? '200000000000000001', username: 'pengguna', global_name: 'Pengguna' };
  return {
    id: snowflake(input.createdAt),
    application_id: input.applicationId,
    type: 2,
    token: `tok_${randomBytes(24).toString('base64url')}`,
    version: 1,
    data: {
      id: snowflake(),
      name: input.name,
      type: 1,
      options: input.options ?? [],
      ...(input.resolved ? { resolved: input.resolved } : {}),
    },
    ...(input.channelId === null ? {} : { channel_id: input.channelId ?? '300000000000000001' }),
    ...(input.guildId
      ? { guild_id: input.guildId, member: { user, roles: [], permissions: '0' }, guild_locale: 'id' }
      : { user }),
    locale: input.locale ?? 'id',
    app_permissions: '0',
    entitlements: [],
    context: input.guildId ? 0 : 1,
    attachment_size_limit: input.attachmentSizeLimit ?? 10 * 1024 * 1024,
  };
}

/**
 * A MESSAGE command interaction (an app chosen from a message's menu): `data.type` 3, the message
 * in `resolved.messages[target_id]`.
 */
export function discordMessageCommand(
  input: Omit<SlashCommandInput, 'options' | 'resolved'> & {
    /** `flags` 8192 (IS_VOICE_MESSAGE) marks a voice message. */
    message: { content?: string; attachments?: unknown[]; sticker_items?: unknown[]; flags?: number };
  },
): Record<string, unknown> & { id: string; token: string } {
  const base = discordInteraction(input);
  const targetId = snowflake();
  const author = { id: '200000000000000099', username: 'orang', global_name: 'Orang' };
  return {
    ...base,
    data: {
      id: snowflake(),
      name: input.name,
      type: 3,
      target_id: targetId,
      resolved: {
        messages: {
          [targetId]: {
            id: targetId,
            type: 0,
            channel_id: '300000000000000001',
            author,
            content: input.message.content ?? '',
            attachments: input.message.attachments ?? [],
            ...(input.message.sticker_items ? { sticker_items: input.message.sticker_items } : {}),
            ...(input.message.flags === undefined ? {} : { flags: input.message.flags }),
            embeds: [],
            mentions: [],
            timestamp: new Date().toISOString(),
          },
        },
      },
    },
  };
}

export interface ComponentPressInput {
  applicationId: string;
  /** The pressed button's `custom_id` (or the select menu's). */
  customId: string;
  /** A select menu's chosen values. */
  values?: string[];
  userId: string;
  guildId?: string;
  locale?: string;
  createdAt?: number;
}

/** A MESSAGE_COMPONENT interaction (a button press or a select) as Discord sends it. */
export function discordComponentPress(
  input: ComponentPressInput,
): Record<string, unknown> & { id: string; token: string } {
  const user = { id: input.userId, username: 'pengguna', global_name: 'Pengguna' };
  return {
    id: snowflake(input.createdAt),
    application_id: input.applicationId,
    type: 3,
    token: `tok_${randomBytes(24).toString('base64url')}`,
    version: 1,
    data: {
      custom_id: input.customId,
      component_type: input.values ? 3 : 2,
      ...(input.values ? { values: input.values } : {}),
    },
    channel_id: '300000000000000001',
    ...(input.guildId
      ? { guild_id: input.guildId, member: { user, roles: [], permissions: '0' } }
      : { user }),
    locale: input.locale ?? 'id',
    message: { id: snowflake(), channel_id: '300000000000000001', content: '' },
  };
}

function parseMaybeJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A Discord id: milliseconds since the Discord epoch (2015) in the top bits. */
function snowflake(at = Date.now()): string {
  return ((BigInt(at - 1_420_070_400_000) << 22n) | BigInt(randomBytes(2).readUInt16BE())).toString();
}
