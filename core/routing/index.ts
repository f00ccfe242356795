export {
  type ChatGateway,
  type ChatGatewayDeps,
  type ChatGatewayOptions,
  createChatGateway,
  type RunChatInput,
} from './chat-gateway.js';
export type { ChatOutcome, ChatRun, ChatRunPart } from './chat-run.js';
export { classifyFailure, type FailureKind, failsOver, ROUTE_FAULTS, routeFaultOf } from './failover.js';
export {
  type BreakerState,
  createRouteHealth,
  type RouteHealth,
  type RouteHealthOptions,
  type RouteHealthSnapshot,
  routeKey,
} from './health.js';
