import type { Lang } from './i18n';

/**
 * Rupiah as the bots write it (and the server's formatIdr): dots between thousands, a comma before
 * up to three decimals (milli-rupiah), e.g. `Rp 50.027` or `Rp 0,237`. The API sends `*_idr`
 * numbers with at most three decimals, so rounding to milli-rupiah is exact.
 */
export function rupiah(idr: number): string {
  const mrp = Math.round(idr * 1000);
  const negative = mrp < 0;
  const abs = Math.abs(mrp);
  const whole = Math.floor(abs / 1000)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const fraction = (abs % 1000).toString().padStart(3, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}Rp ${whole}${fraction ? `,${fraction}` : ''}`;
}

/** Balances and holds in whole rupiah (rounded down, as people see money they can spend). */
export function rupiahWhole(idr: number): string {
  return rupiah(Math.floor(idr));
}

export function dateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/**
 * A session's device in words people recognise ("Chrome · Android") instead of the raw
 * User-Agent header; the header itself when neither the browser nor the system is known.
 */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return '?';
  const browser = [
    ['Edge', /Edg\//],
    ['Samsung Internet', /SamsungBrowser\//],
    ['Opera', /OPR\//],
    ['Firefox', /Firefox\/|FxiOS\//],
    ['Chrome', /Chrome\/|CriOS\//],
    ['Safari', /Safari\//],
  ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] as string | undefined;
  const system = [
    ['Android', /Android/],
    ['iOS', /iPhone|iPad|iPod/],
    ['Windows', /Windows/],
    ['macOS', /Mac OS X|Macintosh/],
    ['Linux', /Linux/],
  ].find(([, pattern]) => (pattern as RegExp).test(userAgent))?.[0] as string | undefined;
  if (!browser && !system) return userAgent.slice(0, 60);
  return [browser, system].filter(Boolean).join(' · ');
}
