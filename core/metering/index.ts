export {
  type ChatHold,
  type ChatInputRequest,
  chatCostMrp,
  chatHold,
  estimateInputTokens,
  estimateOutputTokens,
  estimateUsage,
  IMAGE_TOKEN_ALLOWANCE,
  maxOutputTokens,
  priceSnapshot,
} from './chat-metering.js';
export { countTextTokens } from './tokens.js';
