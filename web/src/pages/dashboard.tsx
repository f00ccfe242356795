import { useEffect, useState } from 'preact/hooks';
import { api, type Item } from '../api';
import { Card } from '../components/form';
import { dateTime, rupiah, rupiahWhole } from '../format';
import { useI18n } from '../i18n';
import { refreshAccount, useAccount } from '../session';

type UsageRow = Item<'GET /account/usage'>;
export type RequestRow = Item<'GET /account/requests'>;

/** Balance, 30-day spend per model (a bar chart drawn with CSS, no chart library), recent requests. */
export function DashboardPage() {
  const { t, lang } = useI18n();
  const account = useAccount();
  const [spend, setSpend] = useState<[string, number][] | null>(null);
  const [recent, setRecent] = useState<RequestRow[] | null>(null);
  useEffect(() => {
    void refreshAccount();
    void api('GET /account/usage').then((usage: { data: UsageRow[] }) => {
      const byModel = new Map<string, number>();
      for (const row of usage.data)
        byModel.set(row.model, (byModel.get(row.model) ?? 0) + Number(row.cost_idr));
      setSpend([...byModel.entries()].sort((a, b) => b[1] - a[1]));
    });
    void api('GET /account/requests', { query: { limit: 5 } }).then((r) => setRecent(r.data));
  }, []);
  const max = Math.max(...(spend ?? []).map(([, v]) => v), 0);
  return (
    <>
      <h1>{t.dash.title}</h1>
      <Card title={t.dash.balance}>
        <p class="balance" data-testid="balance">
          {account ? rupiahWhole(account.available_idr) : '…'}
        </p>
        {account && account.held_idr > 0 && (
          <p class="muted">
            {rupiahWhole(account.held_idr)} {t.dash.held}
          </p>
        )}
        <a class="button" href="#/topup">
          {t.dash.topupCta}
        </a>
      </Card>
      <Card title={t.dash.spend30}>
        {spend === null ? (
          <p>{t.common.loading}</p>
        ) : spend.length === 0 ? (
          <p class="muted">{t.dash.noSpend}</p>
        ) : (
          <ul class="bars" aria-label={t.dash.spend30}>
            {spend.map(([model, value]) => (
              <li key={model}>
                <span class="bar-label">{model}</span>
                <span class="bar" style={{ width: `${max ? Math.max(2, (value / max) * 100) : 0}%` }} />
                <span class="bar-value">{rupiah(value)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t.dash.recent}>
        {recent === null ? (
          <p>{t.common.loading}</p>
        ) : recent.length === 0 ? (
          <p class="muted">{t.common.none}</p>
        ) : (
          <ul class="rows">
            {recent.map((r) => (
              <li key={r.id}>
                <a href={`#/usage?id=${r.id}`}>
                  <strong>{r.model}</strong> <span class="muted">{dateTime(r.created_at, lang)}</span>
                  <span class="right">{rupiah(r.cost_idr)}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
