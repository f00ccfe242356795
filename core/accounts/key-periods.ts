/**
 * The calendar periods of API-key spend limits. Periods start at 00:00 WIB (Asia/Jakarta, UTC+7,
 * no daylight saving): a day at midnight, a week on Monday, a month on its first day. Pure: the
 * caller passes the time (from the Clock port).
 */
export const KEY_LIMIT_PERIODS = ['day', 'week', 'month'] as const;
export type KeyLimitPeriod = (typeof KEY_LIMIT_PERIODS)[number];

const WIB_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** The instant the period containing `now` began. */
export function periodStart(period: KeyLimitPeriod, now: Date): Date {
  const local = new Date(now.getTime() + WIB_OFFSET_MS);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  let start = midnight;
  if (period === 'week') start = midnight - ((local.getUTCDay() + 6) % 7) * DAY_MS;
  if (period === 'month') start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1);
  return new Date(start - WIB_OFFSET_MS);
}

/** The instant the period containing `now` ends (the next one begins). */
export function periodEnd(period: KeyLimitPeriod, now: Date): Date {
  const start = new Date(periodStart(period, now).getTime() + WIB_OFFSET_MS);
  if (period === 'day') return new Date(start.getTime() + DAY_MS - WIB_OFFSET_MS);
  if (period === 'week') return new Date(start.getTime() + 7 * DAY_MS - WIB_OFFSET_MS);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) - WIB_OFFSET_MS);
}
