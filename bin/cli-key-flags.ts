import { KEY_LIMIT_PERIODS, type KeyLimitPeriod, type KeySettingsInput } from '../core/accounts/index.js';
import { idrToMrp, KEY_MODEL_KINDS, type KeyModelKind } from '../core/ledger/index.js';
import type { Flags } from './cli-kit.js';
import { UsageError } from './cli-kit.js';

/** The flags `key:create` and `key:update` share; `none` (or `all` for lists) removes a limit. */
export const KEY_SETTING_OPTIONS = {
  'total-limit': { type: 'string' },
  period: { type: 'string' },
  'period-limit': { type: 'string' },
  models: { type: 'string' },
  kinds: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
} as const;

export const KEY_SETTING_USAGE =
  '[--total-limit RUPIAH|none] [--period day|week|month --period-limit RUPIAH | --period none] ' +
  '[--models ID,ID|all] [--kinds chat,image,video,embedding|all] [--rpm N|none] [--tpm N|none]';

function text(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

function rupiah(name: string, value: string): bigint {
  try {
    return idrToMrp(value);
  } catch {
    throw new UsageError(`--${name} must be rupiah like 50000 or 1500.5, or none, not "${value}"`);
  }
}

function perMinute(name: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  if (!/^\d{1,10}$/.test(value)) throw new UsageError(`--${name} must be a whole number or none`);
  return Number(value);
}

function list(value: string | undefined): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'all') return null;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Reads the key settings flags; the core validates ranges and model ids with the same rules as the API. */
export function keySettingsFromFlags(flags: Flags): KeySettingsInput {
  const out: KeySettingsInput = {};
  const total = text(flags, 'total-limit');
  if (total !== undefined) out.totalLimitMrp = total === 'none' ? null : rupiah('total-limit', total);
  const period = text(flags, 'period');
  const periodLimit = text(flags, 'period-limit');
  if (period === 'none') out.periodLimit = null;
  else if (period !== undefined || periodLimit !== undefined) {
    if (!period || !KEY_LIMIT_PERIODS.includes(period as KeyLimitPeriod) || periodLimit === undefined) {
      throw new UsageError('--period day|week|month and --period-limit RUPIAH go together');
    }
    out.periodLimit = { period: period as KeyLimitPeriod, limitMrp: rupiah('period-limit', periodLimit) };
  }
  const models = list(text(flags, 'models'));
  if (models !== undefined) out.models = models;
  const kinds = list(text(flags, 'kinds'));
  if (kinds !== undefined) {
    const unknown = (kinds ?? []).filter((k) => !KEY_MODEL_KINDS.includes(k as KeyModelKind));
    if (unknown.length > 0) throw new UsageError(`--kinds must be some of ${KEY_MODEL_KINDS.join(',')}`);
    out.kinds = kinds as KeyModelKind[] | null;
  }
  const rpm = perMinute('rpm', text(flags, 'rpm'));
  if (rpm !== undefined) out.requestsPerMinute = rpm;
  const tpm = perMinute('tpm', text(flags, 'tpm'));
  if (tpm !== undefined) out.tokensPerMinute = tpm;
  return out;
}
