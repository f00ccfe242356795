export { createRunningHubClient, type RunningHubClient, type RunningHubClientOptions } from './client.js';
export { runningHubError } from './errors.js';
export { buildNodeInfoList, type NodeInfo } from './node-info.js';
export { createRunningHubTaskProvider, type RunningHubOptions } from './task-provider.js';
export { parseRunningHubWebhook, type RunningHubWebhookEvent } from './webhook.js';
