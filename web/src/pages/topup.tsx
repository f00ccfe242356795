import { useEffect, useState } from 'preact/hooks';
import { api, type Item } from '../api';
import { Card, CopyButton, Field, FormError, useSubmit } from '../components/form';
import { dateTime, rupiah, rupiahWhole } from '../format';
import { useI18n } from '../i18n';
import { refreshAccount } from '../session';

type Topup = Item<'GET /account/topups'>;

/** How often an open request is checked while the page is shown. */
const POLL_MS = 3000;

export function TopupPage() {
  const { t, lang } = useI18n();
  const [amount, setAmount] = useState('50000');
  const [history, setHistory] = useState<Topup[] | null>(null);
  const [open, setOpen] = useState<Topup | null>(null);
  const [voucher, setVoucher] = useState('');
  const [redeemed, setRedeemed] = useState<number | null>(null);
  const load = async () => {
    const list: { data: Topup[] } = await api('GET /account/topups', { query: { limit: 20 } });
    setHistory(list.data);
    return list.data;
  };
  useEffect(() => {
    void load();
  }, []);
  // The open request's status updates until it is credited (or expires).
  useEffect(() => {
    if (open?.status !== 'pending') return;
    const timer = setInterval(async () => {
      const found = (await load()).find((r) => r.id === open.id);
      if (found && found.status !== open.status) {
        setOpen(found);
        if (found.status === 'paid') void refreshAccount();
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [open?.id, open?.status]);
  const create = useSubmit(async () => {
    const created = await api('POST /account/topups', { body: { amount_idr: amount.replace(/\D/g, '') } });
    setOpen(created);
    await load();
  });
  const redeem = useSubmit(async () => {
    const result = await api('POST /account/redeem', { body: { code: voucher.trim() } });
    setRedeemed(result.balance_idr);
    setVoucher('');
    void refreshAccount();
    await load();
  });
  return (
    <>
      <h1>{t.topup.title}</h1>
      {open ? (
        <Card>
          <p>{t.topup.transferExactly}</p>
          <p class="balance" data-testid="transfer-amount">
            {rupiah(open.transfer_amount_idr)} <CopyButton text={String(open.transfer_amount_idr)} />
          </p>
          <p class="muted">({t.topup.exactHint})</p>
          <p>
            {t.topup.code}: <code>{open.code}</code>
          </p>
          <p>{t.topup.to}</p>
          <ul class="rows">
            {open.bank_accounts.map((a) => (
              <li key={a.number}>
                <strong>{a.bank}</strong> <code>{a.number}</code> <span class="muted">a.n. {a.holder}</span>
              </li>
            ))}
          </ul>
          <p class={`status ${open.status}`} role="status" aria-live="polite" data-testid="topup-status">
            {t.topup.status}: {t.topup.statuses[open.status] ?? open.status}
          </p>
          <p class="muted">
            {open.status === 'pending' ? t.topup.waiting : open.status === 'paid' ? t.topup.credited : ''}
          </p>
          <p class="muted">
            {t.topup.expires}: {dateTime(open.expires_at, lang)}
          </p>
          <button type="button" class="secondary" onClick={() => setOpen(null)}>
            {t.common.close}
          </button>
        </Card>
      ) : (
        <Card>
          <form onSubmit={create.submit} noValidate>
            <Field
              label={t.topup.amount}
              name="amount_idr"
              inputMode="numeric"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
              error={create.errors.amount_idr}
            />
            <FormError message={create.errors._} />
            <button type="submit" disabled={create.busy}>
              {t.topup.create}
            </button>
          </form>
        </Card>
      )}
      <Card title={t.topup.voucher}>
        <form onSubmit={redeem.submit} noValidate>
          <Field
            label={t.topup.voucherCode}
            name="code"
            autoComplete="off"
            value={voucher}
            onInput={(e) => setVoucher(e.currentTarget.value)}
            error={redeem.errors.code}
          />
          <FormError message={redeem.errors._} />
          {redeemed !== null && (
            <p class="notice" role="status">
              {t.topup.redeemed} {rupiahWhole(redeemed)}.
            </p>
          )}
          <button type="submit" disabled={redeem.busy}>
            {t.topup.redeem}
          </button>
        </form>
      </Card>
      <Card title={t.topup.history}>
        {history === null ? (
          <p>{t.common.loading}</p>
        ) : history.length === 0 ? (
          <p class="muted">{t.common.none}</p>
        ) : (
          <ul class="rows">
            {history.map((r) => (
              <li key={r.id}>
                <button type="button" class="link" onClick={() => setOpen(r)}>
                  {rupiah(r.transfer_amount_idr)}
                </button>{' '}
                <span class={`tag ${r.status}`}>{t.topup.statuses[r.status] ?? r.status}</span>
                <span class="muted right">{dateTime(r.created_at, lang)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
