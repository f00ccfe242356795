import { CoreError } from '../errors.js';
import type { Mailer } from '../ports/mailer.js';
import { isEmailTarget, type Notifier } from '../ports/notifier.js';
import { renderEmail } from './email.js';

/**
 * One Notifier over the channels: email targets through the Mailer, chat targets through the bots'
 * notifier. A chat target with no chat notifier configured cannot succeed by retrying.
 */
export function routeNotifier(parts: { chat?: Notifier | undefined; mailer: Mailer }): Notifier {
  return {
    async notify(target, message) {
      if (isEmailTarget(target)) {
        const { subject, text } = renderEmail(message);
        await parts.mailer.send({ to: target.email, subject, text });
        return;
      }
      if (!parts.chat) {
        throw new CoreError('invalid_request', `No notifier for ${target.platform} is configured`, {
          retryable: false,
        });
      }
      await parts.chat.notify(target, message);
    },
  };
}
