export {
  type BotUser,
  type ChatService,
  type ChatServiceDeps,
  type ChatServiceOptions,
  createChatService,
  type StartedTurn,
  type TurnResult,
  type TurnStart,
  type UsageItem,
} from './chat-service.js';
export type { EphemeralStore } from './ephemeral-store.js';
export { type AbuseLimits, DEFAULT_ABUSE_LIMITS } from './guards.js';
export {
  boundHistory,
  DEFAULT_HISTORY_OPTIONS,
  type HistoryMessage,
  type HistoryOptions,
} from './history.js';
export { LINK_CODE_TTL_MS, type LinkIdentity, type LinkResult, normalizeLinkCode } from './link-codes.js';
export { botChatModels, findBotModel, resolveBotModel } from './models.js';
export type { BotPlatform } from './platform.js';
export { createWebLinking, type WebLinking } from './web-linking.js';
