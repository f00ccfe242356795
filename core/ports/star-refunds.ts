/**
 * Returns Telegram Stars to a buyer (the Bot API's `refundStarPayment`). The shell implements it with
 * the Telegram bot's token; the domain takes the credit back first, so Stars never go back while the
 * rupiah they bought stay.
 */
export interface StarRefunds {
  refund(telegramUserId: string, chargeId: string): Promise<void>;
}
