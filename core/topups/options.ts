/** A bank account people transfer to, as shown in top-up instructions. */
export interface BankAccount {
  bank: string;
  number: string;
  holder: string;
}

/** The deployment's top-up settings (parsed from the environment in bin/, passed down). */
export interface TopupOptions {
  /** Bounds of the amount asked for, whole rupiah, inclusive. */
  minIdr: number;
  maxIdr: number;
  /** How long a request's unique amount stays reserved. */
  expiryHours: number;
  /** Where people transfer to; when non-empty, mutations on other account numbers are ignored. */
  bankAccounts: BankAccount[];
  /** Rupiah credited per Telegram Star. */
  starsIdrPerStar: number;
  /** Moota's webhook `secret_token`; unset means the webhook refuses every delivery. */
  mootaWebhookSecret?: string | undefined;
  /** Unpaid requests one account may hold at once (default 5): suffixes are a shared, finite resource. */
  maxPendingPerAccount?: number;
}

/** Digits only, so `123-456 7890` and `1234567890` name the same account. */
export function accountNumberKey(number: string): string {
  return number.replace(/\D/g, '');
}

/** The documented defaults (Rp 10.000 to Rp 50.000.000, 24 hours, Rp 250 per Star, webhook closed). */
export const DEFAULT_TOPUP_OPTIONS: TopupOptions = {
  minIdr: 10_000,
  maxIdr: 50_000_000,
  expiryHours: 24,
  bankAccounts: [],
  starsIdrPerStar: 250,
};
