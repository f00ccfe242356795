import { Api, GrammyError } from 'grammy';
import { CoreError } from '../../core/errors.js';
import type { StarRefunds } from '../../core/ports/star-refunds.js';

/** `refundStarPayment` over the Bot API; a refusal by Telegram is reported with its description. */
export function telegramStarRefunds(token: string, apiRoot?: string): StarRefunds {
  const api = new Api(token, apiRoot ? { apiRoot } : {});
  return {
    async refund(telegramUserId, chargeId) {
      try {
        await api.refundStarPayment(Number(telegramUserId), chargeId);
      } catch (error) {
        const reason = error instanceof GrammyError ? error.description : 'Telegram could not be reached';
        throw new CoreError('upstream_error', `Telegram did not refund the Stars: ${reason}. Try again.`, {
          retryable: !(error instanceof GrammyError),
        });
      }
    },
  };
}
