import { useEffect, useState } from 'preact/hooks';
import { type Answer, api, type Item } from '../api';
import { Card } from '../components/form';
import { dateTime, rupiah } from '../format';
import { useI18n } from '../i18n';
import { navigate, useRoute } from '../router';
import type { RequestRow } from './dashboard';

type Detail = Answer<'GET /account/requests/{id}'>;
type LedgerRow = Item<'GET /account/ledger'>;
const CHANNELS = ['api', 'telegram', 'slack', 'discord'] as const;

function RequestDetail({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const [detail, setDetail] = useState<Detail | null>(null);
  useEffect(() => {
    void api('GET /account/requests/{id}', { params: { id } }).then(setDetail);
  }, [id]);
  if (!detail) return <p>{t.common.loading}</p>;
  return (
    <Card title={t.usage.detail}>
      <dl class="facts">
        <dt>{t.usage.model}</dt>
        <dd>{detail.model}</dd>
        <dt>{t.usage.when}</dt>
        <dd>{dateTime(detail.created_at, lang)}</dd>
        <dt>{t.usage.tokens}</dt>
        <dd>
          {detail.input_tokens ?? '—'} / {detail.output_tokens ?? '—'}
        </dd>
        <dt>{t.usage.cost}</dt>
        <dd>{rupiah(detail.cost_idr)}</dd>
        <dt>{t.usage.latency}</dt>
        <dd>{detail.latency_ms != null ? `${detail.latency_ms} ms` : '—'}</dd>
        <dt>{t.usage.status}</dt>
        <dd>{t.usage.jobStatuses[detail.status] ?? detail.status}</dd>
      </dl>
      {detail.content_retained ? (
        <pre class="content">{JSON.stringify({ prompt: detail.prompt, output: detail.output }, null, 2)}</pre>
      ) : (
        <p class="muted">{t.usage.contentGone}</p>
      )}
      <button type="button" class="secondary" onClick={() => navigate('/usage')}>
        {t.common.close}
      </button>
    </Card>
  );
}

export function UsagePage() {
  const { t, lang } = useI18n();
  const route = useRoute();
  const [filter, setFilter] = useState({ model: '', channel: '', status: '' });
  const [rows, setRows] = useState<RequestRow[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [ledger, setLedger] = useState<LedgerRow[] | null>(null);
  const load = async (before?: string) => {
    const result = await api('GET /account/requests', {
      query: {
        limit: 50,
        ...(before ? { before } : {}),
        ...(filter.model ? { model: filter.model } : {}),
        ...(filter.channel ? { channel: filter.channel as (typeof CHANNELS)[number] } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
    });
    setRows(before ? [...(rows ?? []), ...result.data] : result.data);
    setHasMore(result.has_more);
  };
  useEffect(() => {
    void load();
    void api('GET /account/ledger', { query: { limit: 50 } }).then((r) => setLedger(r.data));
  }, []);
  const id = route.query.get('id');
  return (
    <>
      <h1>{t.usage.title}</h1>
      {id && <RequestDetail id={id} />}
      <Card>
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            void load();
          }}
        >
          <label>
            {t.usage.model}
            <input
              value={filter.model}
              onInput={(e) => setFilter({ ...filter, model: e.currentTarget.value })}
            />
          </label>
          <label>
            {t.usage.channel}
            <select
              value={filter.channel}
              onChange={(e) => setFilter({ ...filter, channel: e.currentTarget.value })}
            >
              <option value="">{t.usage.all}</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.usage.status}
            <select
              value={filter.status}
              onChange={(e) => setFilter({ ...filter, status: e.currentTarget.value })}
            >
              <option value="">{t.usage.all}</option>
              {['succeeded', 'failed', 'running', 'refused'].map((s) => (
                <option key={s} value={s}>
                  {t.usage.jobStatuses[s] ?? s}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t.usage.filter}</button>
        </form>
        <p>
          <a class="button secondary" href="/account/usage?format=csv" download data-testid="csv">
            {t.usage.csv}
          </a>
        </p>
        {rows === null ? (
          <p>{t.common.loading}</p>
        ) : rows.length === 0 ? (
          <p class="muted">{t.common.none}</p>
        ) : (
          <div class="table-wrap">
            <table class="stack" data-testid="usage-table">
              <thead>
                <tr>
                  <th scope="col">{t.usage.when}</th>
                  <th scope="col">{t.usage.model}</th>
                  <th scope="col">{t.usage.tokens}</th>
                  <th scope="col">{t.usage.cost}</th>
                  <th scope="col">{t.usage.latency}</th>
                  <th scope="col">{t.usage.status}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t.usage.when}>
                      <a href={`#/usage?id=${r.id}`}>{dateTime(r.created_at, lang)}</a>
                      <br />
                      <small class="muted">{r.channel}</small>
                    </td>
                    <td data-label={t.usage.model} class="model">
                      {r.model}
                    </td>
                    <td data-label={t.usage.tokens}>
                      {r.input_tokens ?? '—'}/{r.output_tokens ?? '—'}
                    </td>
                    <td data-label={t.usage.cost} class="num">
                      {rupiah(r.cost_idr)}
                    </td>
                    <td data-label={t.usage.latency} class="num">
                      {r.latency_ms != null ? `${r.latency_ms} ms` : '—'}
                    </td>
                    <td data-label={t.usage.status}>{t.usage.jobStatuses[r.status] ?? r.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {hasMore && (
          <button type="button" class="secondary" onClick={() => load(rows?.at(-1)?.id)}>
            {t.usage.more}
          </button>
        )}
      </Card>
      <Card title={t.usage.ledger}>
        {ledger === null ? (
          <p>{t.common.loading}</p>
        ) : ledger.length === 0 ? (
          <p class="muted">{t.common.none}</p>
        ) : (
          <ul class="rows">
            {ledger.map((e) => (
              <li key={e.id}>
                <span class={e.amount_idr < 0 ? 'neg' : 'pos'}>{rupiah(e.amount_idr)}</span>{' '}
                {e.reason ?? e.kind}
                <span class="muted right">{dateTime(e.created_at, lang)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
