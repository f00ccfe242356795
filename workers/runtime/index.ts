export { type BullQueues, createBullQueues, QUEUE_NAMES } from './bullmq-queue.js';
export { type RunningWorkers, startWorkers, type WorkerOptions } from './start-workers.js';
