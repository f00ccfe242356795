export {
  type ChatGateway,
  type ChatGatewayDeps,
  type ChatGatewayOptions,
  createChatGateway,
  type RunChatInput,
} from './chat-gateway.js';
export type { ChatOutcome, ChatRun, ChatRunPart } from './chat-run.js';
export {
  createEmbeddingGateway,
  type EmbeddingGateway,
  type EmbeddingGatewayDeps,
  type EmbedInput,
  type EmbedOutcome,
  MAX_EMBEDDING_INPUTS,
} from './embedding-gateway.js';
export { classifyFailure, type FailureKind, failsOver, ROUTE_FAULTS, routeFaultOf } from './failover.js';
export {
  type BreakerState,
  createRouteHealth,
  type RouteHealth,
  type RouteHealthOptions,
  type RouteHealthSnapshot,
  routeKey,
} from './health.js';
export { failOneShotJob, tryRoutes } from './one-shot-routes.js';
