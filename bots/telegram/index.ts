export { type BotIdentity, promptForBot } from './addressing.js';
export { registerTelegramCommands, telegramCommands } from './commands.js';
export { deleteConfirmKeyboard, languageKeyboard, modelKeyboard } from './keyboards.js';
export { escapeHtml, markdownToTelegramHtml, markdownToTelegramPlain } from './markdown-to-html.js';
export {
  MediaTooLargeError,
  sendTelegramMedia,
  sendTelegramPhotos,
  TELEGRAM_CAPTION_MAX,
  TELEGRAM_FILE_MAX_BYTES,
  TELEGRAM_PHOTO_MAX_BYTES,
  type TelegramMedia,
  type TelegramMediaTarget,
} from './send-media.js';
export {
  streamTelegramReply,
  type TelegramReplyTarget,
  type TelegramStreamOptions,
  type TelegramStreamResult,
} from './stream-reply.js';
export { floodWaitSeconds, isEntityParseError, isNotModified } from './telegram-errors.js';
export { TELEGRAM_SECRET_HEADER, verifyTelegramSecret } from './verify-secret.js';
