import { Composer } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Topups } from '../../../core/topups/index.js';
import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import { pressedByOwner } from '../../shared/choices.js';
import { errorMessage } from '../../shared/error-message.js';
import type { Messages } from '../../shared/i18n/index.js';
import type { TelegramContext } from '../context.js';

/** The Stars side of core/topups the bot needs. */
export type TelegramStars = Pick<Topups, 'starPackages' | 'validatePreCheckout' | 'creditStarPayment'>;

/** `stars:<owner>:<package>`: the owner is the Telegram user the button was offered to. */
const STARS_DATA = /^stars:(\d{1,20}):(\d{1,6})$/;

/**
 * One button per Stars package under `/topup` (digital goods in a Telegram bot are sold in Stars),
 * labelled in the person's language and bound to them.
 */
export function starsKeyboard(stars: TelegramStars, t: Messages, owner: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: stars.starPackages().map((p) => [
      {
        text: t.starsButton({ stars: p.stars, amountMrp: p.amountMrp }),
        callback_data: `stars:${owner}:${p.stars}`,
      },
    ]),
  };
}

/**
 * Telegram Stars: a package button sends its invoice (currency XTR, no provider token), the
 * pre-checkout query is checked against the packages we offer, and a successful payment is
 * credited once per charge id, then confirmed with the ledger's balance.
 */
export function paymentsComposer(stars: TelegramStars, logger: BotLogger): Composer<TelegramContext> {
  const composer = new Composer<TelegramContext>();

  composer.callbackQuery(STARS_DATA, async (ctx) => {
    const [, owner, count] = STARS_DATA.exec(ctx.callbackQuery.data)!;
    if (!pressedByOwner({ owner: owner! }, String(ctx.from.id))) {
      await ctx.answerCallbackQuery(ctx.t ? { text: ctx.t.notYourButton(), show_alert: true } : {});
      return;
    }
    const offer = stars.starPackages().find((p) => p.stars === Number(count));
    await ctx.answerCallbackQuery();
    const chatId = ctx.chat?.id;
    if (!offer || chatId === undefined) return;
    await ctx.api.sendInvoice(chatId, offer.title, offer.description, offer.payload, 'XTR', [
      { label: offer.title, amount: offer.stars },
    ]);
  });

  composer.on('pre_checkout_query', async (ctx) => {
    const query = ctx.preCheckoutQuery;
    const verdict = stars.validatePreCheckout({
      payload: query.invoice_payload,
      currency: query.currency,
      totalAmount: query.total_amount,
    });
    if (verdict.ok) await ctx.answerPreCheckoutQuery(true);
    else await ctx.answerPreCheckoutQuery(false, { error_message: verdict.errorMessage });
  });

  composer.on('message:successful_payment', async (ctx) => {
    const payment = ctx.message.successful_payment;
    const user = ctx.botUser;
    const t = ctx.t;
    if (!user || !t) return;
    try {
      const credited = await stars.creditStarPayment({
        chargeId: payment.telegram_payment_charge_id,
        telegramUserId: String(ctx.from.id),
        accountId: user.account.id,
        stars: payment.total_amount,
        payload: payment.invoice_payload,
        currency: payment.currency,
      });
      await ctx.reply(t.topupConfirmed(credited));
    } catch (error) {
      logger.error(errorFields(error), 'telegram stars credit failed');
      await ctx.reply(errorMessage(error, t));
    }
  });
  return composer;
}
