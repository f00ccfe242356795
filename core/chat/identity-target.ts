import type { ReplyTarget } from '../ports/notifier.js';
import type { LinkIdentity } from './link-codes.js';

/**
 * The private chat of a platform identity, where something about their account may be said:
 * Telegram's private chat id is the user's id, Slack's identity is `team:user` and a user id opens
 * the app's DM with them, Discord is reached by DM to the user.
 */
export function identityTarget(platform: LinkIdentity['platform'], externalId: string): ReplyTarget {
  if (platform === 'slack') {
    const userId = externalId.slice(externalId.indexOf(':') + 1);
    return { platform, chatId: userId, userId };
  }
  if (platform === 'telegram') return { platform, chatId: externalId, userId: externalId };
  return { platform, userId: externalId };
}
