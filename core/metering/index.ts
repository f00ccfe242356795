export {
  type ChatHold,
  type ChatInputRequest,
  chatCostMrp,
  chatHold,
  estimateInputTokens,
  estimateOutputTokens,
  estimateUsage,
  IMAGE_TOKEN_BOUND,
  inputTokenBound,
  maxOutputTokens,
  priceSnapshot,
} from './chat-metering.js';
export {
  type EmbeddingHold,
  embeddingCostMrp,
  embeddingHold,
  embeddingInputBound,
  embeddingPriceSnapshot,
  estimateEmbeddingTokens,
} from './embedding-metering.js';
export {
  type Charge,
  createMeteredJobs,
  type MeteredJob,
  type MeteredJobs,
  type MeteredJobsOptions,
  type OpenMeteredJob,
  type UncollectedJob,
  type UncollectedReport,
} from './metered-jobs.js';
export { countTextTokens, countTokensOfTexts, textTokenBound } from './tokens.js';
export {
  type AudioMeasures,
  type StatedAudio,
  transcriptionBilledSeconds,
  transcriptionCostMrp,
  transcriptionHoldSeconds,
  transcriptionPriceSnapshot,
} from './transcription-metering.js';
