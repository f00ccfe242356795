export {
  type Choice,
  choiceFits,
  decodeChoice,
  encodeChoice,
  LANGUAGE_LABELS,
  MAX_CHOICE_BYTES,
  type ModelOption,
} from './choices.js';
export { errorMessage } from './error-message.js';
export {
  type BankAccount,
  BOT_COMMANDS,
  type BotCommandName,
  DEFAULT_LANGUAGE,
  en,
  formatWib,
  id,
  isLanguage,
  type Language,
  languageFromLocale,
  type Messages,
  messagesFor,
  type UsageRow,
} from './i18n/index.js';
export { type Block, type Inline, markdownToPlainText, parseInline, parseMarkdown } from './markdown.js';
export { type AmountParse, parseRupiahAmount } from './parse-amount.js';
export { realScheduler, type Scheduler, type VirtualScheduler, virtualScheduler } from './scheduler.js';
export { MESSAGE_LIMITS, splitMessage } from './split-message.js';
