export { renderEmail, renderKeyLimit, renderTopupCredited } from './email.js';
export { createKeyLimitNotices, type KeyLimitNotices } from './key-limit-notices.js';
export { enqueueNotice, NOTIFY_TASK, parseNotifyTask } from './notify-task.js';
export { routeNotifier } from './route-notifier.js';
