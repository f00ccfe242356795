import type { API } from '@discordjs/core/http-only';
import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from 'discord.js';
import { type DiscordCommandName, en, id } from '../shared/i18n/index.js';

/** Discord's locale codes for English; Indonesian is the default description. */
const ENGLISH_LOCALES = ['en-US', 'en-GB'] as const;

export const IMAGE_SIZES = ['1024x1024', '1024x1536', '1536x1024'] as const;
export const MAX_IMAGES_PER_COMMAND = 4;
/** Smallest top-up, in whole rupiah, accepted by /topup's option. */
export const MIN_TOPUP_IDR = 10_000;

type Localized = { id: string; en: string };

function describe(builder: SlashCommandBuilder, text: Localized): SlashCommandBuilder {
  builder.setDescription(text.id);
  for (const locale of ENGLISH_LOCALES) builder.setDescriptionLocalization(locale, text.en);
  return builder;
}

function fromCatalog(command: DiscordCommandName): Localized {
  return { id: id.commandDescription(command), en: en.commandDescription(command) };
}

function promptOption(option: SlashCommandStringOption, text: Localized): SlashCommandStringOption {
  return option
    .setName('prompt')
    .setDescription(text.id)
    .setDescriptionLocalizations({ 'en-US': text.en, 'en-GB': text.en })
    .setRequired(true)
    .setMaxLength(4000);
}

function command(name: string, text: Localized): SlashCommandBuilder {
  return describe(new SlashCommandBuilder().setName(name), text);
}

/**
 * The message command ("Apps" in a message's menu): asks the bot about that message, its text,
 * its image or document, or its sticker. It is how an HTTP-interactions bot (no gateway) gets to
 * see messages at all.
 */
export const ASK_MESSAGE_COMMAND = { id: 'Tanya AIport', en: 'Ask AIport' } as const;

/** The bot's commands, as the JSON Discord's bulk-overwrite endpoint takes. */
export function discordCommands(): (
  | RESTPostAPIChatInputApplicationCommandsJSONBody
  | RESTPostAPIContextMenuApplicationCommandsJSONBody
)[] {
  const chat = command('chat', fromCatalog('chat'))
    .addStringOption((o) => promptOption(o, { id: 'Pesan Anda', en: 'Your message' }))
    .addAttachmentOption((o) =>
      o
        .setName('file')
        .setDescription('Gambar atau dokumen (txt, md, pdf) untuk pertanyaan Anda')
        .setDescriptionLocalizations({
          'en-US': 'An image or a document (txt, md, pdf) for your question',
          'en-GB': 'An image or a document (txt, md, pdf) for your question',
        }),
    );
  const image = command('image', fromCatalog('image'))
    .addStringOption((o) => promptOption(o, { id: 'Deskripsi gambar', en: 'Describe the image' }))
    .addStringOption((o) =>
      o
        .setName('size')
        .setDescription('Ukuran gambar')
        .setDescriptionLocalizations({ 'en-US': 'Image size', 'en-GB': 'Image size' })
        .addChoices(...IMAGE_SIZES.map((size) => ({ name: size, value: size }))),
    )
    .addIntegerOption((o) =>
      o
        .setName('count')
        .setDescription('Jumlah gambar')
        .setDescriptionLocalizations({ 'en-US': 'Number of images', 'en-GB': 'Number of images' })
        .setMinValue(1)
        .setMaxValue(MAX_IMAGES_PER_COMMAND),
    );
  const video = command('video', fromCatalog('video')).addStringOption((o) =>
    promptOption(o, { id: 'Deskripsi video', en: 'Describe the video' }),
  );
  const topup = command('topup', fromCatalog('topup')).addIntegerOption((o) =>
    o
      .setName('amount')
      .setDescription('Jumlah dalam rupiah, misalnya 50000')
      .setDescriptionLocalizations({
        'en-US': 'Amount in rupiah, e.g. 50000',
        'en-GB': 'Amount in rupiah, e.g. 50000',
      })
      .setMinValue(MIN_TOPUP_IDR),
  );
  const redeem = command('redeem', fromCatalog('redeem')).addStringOption((o) =>
    o
      .setName('code')
      .setDescription('Kode voucher')
      .setDescriptionLocalizations({ 'en-US': 'Voucher code', 'en-GB': 'Voucher code' })
      .setRequired(true)
      .setMaxLength(64),
  );
  const model = command('model', fromCatalog('model')).addStringOption((o) =>
    o
      .setName('name')
      .setDescription('Nama model (kosongkan untuk melihat daftar)')
      .setDescriptionLocalizations({
        'en-US': 'Model name (leave empty to see the list)',
        'en-GB': 'Model name (leave empty to see the list)',
      })
      .setAutocomplete(true),
  );
  const link = command('link', fromCatalog('link')).addStringOption((o) =>
    o
      .setName('code')
      .setDescription('Kode dari platform lain (kosongkan untuk membuat kode)')
      .setDescriptionLocalizations({
        'en-US': 'Code from another platform (leave empty to get one)',
        'en-GB': 'Code from another platform (leave empty to get one)',
      })
      .setMaxLength(32),
  );
  const lang = command('lang', fromCatalog('lang')).addStringOption((o) =>
    o
      .setName('language')
      .setDescription('Bahasa')
      .setDescriptionLocalizations({ 'en-US': 'Language', 'en-GB': 'Language' })
      .addChoices({ name: 'Bahasa Indonesia', value: 'id' }, { name: 'English', value: 'en' }),
  );
  // Commands without options: the same name and description everywhere.
  const plain = (['new', 'balance', 'usage', 'privacy', 'export', 'delete', 'help'] as const).map((name) =>
    command(name, fromCatalog(name)),
  );
  const ask = new ContextMenuCommandBuilder()
    .setName(ASK_MESSAGE_COMMAND.id)
    .setNameLocalizations({ 'en-US': ASK_MESSAGE_COMMAND.en, 'en-GB': ASK_MESSAGE_COMMAND.en })
    .setType(ApplicationCommandType.Message);
  return [
    ...[chat, image, video, topup, redeem, model, link, lang, ...plain].map((builder) => builder.toJSON()),
    ask.toJSON(),
  ];
}

/**
 * Replaces the application's commands (global, or one guild's, which update instantly and
 * suit testing) with `discordCommands()`.
 */
export async function registerCommands(api: API, applicationId: string, guildId?: string): Promise<number> {
  const body = discordCommands();
  const result = guildId
    ? await api.applicationCommands.bulkOverwriteGuildCommands(applicationId, guildId, body)
    : await api.applicationCommands.bulkOverwriteGlobalCommands(applicationId, body);
  return result.length;
}
