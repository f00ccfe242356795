export {
  discordCommands,
  IMAGE_SIZES,
  MAX_IMAGES_PER_COMMAND,
  MIN_TOPUP_IDR,
  registerCommands,
} from './commands.js';
export {
  CHOICE_MENU_ID,
  deleteConfirmRow,
  languageButtonsRow,
  modelAutocompleteResponse,
  modelSelectRow,
} from './components.js';
export {
  DEFAULT_ATTACHMENT_LIMIT,
  type DiscordDeliveryResult,
  type DiscordFile,
  type DiscordInteractionTarget,
  type DiscordReply,
  deferredResponse,
  deliverDiscordReply,
  EPHEMERAL_FLAG,
  replaceDiscordReply,
} from './deliver.js';
export { type OptionValue, type ParsedInteraction, PONG_RESPONSE, parseInteraction } from './interaction.js';
export { type DiscordStreamOptions, streamDiscordReply } from './stream-reply.js';
export {
  createDiscordVerifier,
  type DiscordSignedRequest,
  type DiscordVerifier,
  verifyDiscordSignature,
} from './verify-signature.js';
