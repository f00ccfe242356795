import type { Topups } from '../../core/topups/index.js';
import type { BotTopups } from './bot-services.js';

/** The bots' view of core/topups: bank-transfer requests and vouchers. */
export function coreBotTopups(topups: Topups): BotTopups {
  return {
    bankTransfer: topups.options.bankAccounts.length > 0,
    minMrp: topups.minMrp,
    maxMrp: topups.maxMrp,
    async create(input) {
      const request = await topups.createRequest(input);
      return {
        transferAmountMrp: request.transferAmountMrp,
        code: request.code,
        bankAccounts: request.bankAccounts,
        expiresAt: request.expiresAt,
      };
    },
    async redeemVoucher(accountId, code) {
      const redemption = await topups.redeemVoucher(accountId, code);
      return { amountMrp: redemption.amountMrp, balanceMrp: redemption.balanceMrp };
    },
  };
}
