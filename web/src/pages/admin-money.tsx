import { useEffect, useState } from 'preact/hooks';
import { api, type Item } from '../api';
import { Card, Field, FormError, useForm } from '../components/form';
import { dateTime, rupiah } from '../format';
import { useI18n } from '../i18n';

type Voucher = Item<'GET /admin/vouchers'>;

type StarPayment = Item<'GET /admin/star-payments'>;

/** Vouchers: create one (code, amount, uses, expiry, reason: audited), and the latest ones with their use. */
export function Vouchers() {
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<Voucher[] | null>(null);
  const [created, setCreated] = useState<Voucher | null>(null);
  const load = () => api('GET /admin/vouchers', { query: { limit: 50 } }).then((r) => setRows(r.data));
  useEffect(() => {
    void load();
  }, []);
  const form = useForm({ code: '', amount_idr: '', max_uses: '1', expires_at: '', reason: '' }, async (v) => {
    const voucher = await api('POST /admin/vouchers', {
      body: {
        ...(v.code.trim() ? { code: v.code.trim() } : {}),
        amount_idr: Number(v.amount_idr),
        max_uses: Number(v.max_uses),
        ...(v.expires_at ? { expires_at: new Date(`${v.expires_at}T23:59:59+07:00`).toISOString() } : {}),
        reason: v.reason,
      },
    });
    setCreated(voucher);
    form.setValues({ code: '', amount_idr: '', max_uses: '1', expires_at: '', reason: '' });
    await load();
  });
  return (
    <>
      <Card title={t.admin.newVoucher}>
        <form onSubmit={form.submit} noValidate>
          <Field
            label={t.admin.voucherCode}
            hint={t.admin.voucherCodeHint}
            autoComplete="off"
            {...form.field('code')}
          />
          <div class="pair">
            <Field label={t.admin.amount} inputMode="numeric" {...form.field('amount_idr')} />
            <Field label={t.admin.maxUses} inputMode="numeric" {...form.field('max_uses')} />
          </div>
          <Field label={t.admin.expires} type="date" {...form.field('expires_at')} />
          <Field label={t.admin.reason} {...form.field('reason')} />
          <FormError message={form.formError} />
          {created && (
            <p class="notice" role="status" data-testid="voucher-created">
              {t.admin.voucherMade} <code>{created.code}</code> ({rupiah(created.amount_idr)})
            </p>
          )}
          <button type="submit" disabled={form.busy}>
            {t.admin.createVoucher}
          </button>
        </form>
      </Card>
      <Card title={t.admin.vouchers}>
        {rows === null ? (
          <p aria-busy="true">{t.common.loading}</p>
        ) : rows.length === 0 ? (
          <p class="muted">{t.common.none}</p>
        ) : (
          <ul class="rows" data-testid="vouchers">
            {rows.map((v) => (
              <li key={v.id}>
                <code>{v.code}</code> <strong class="right">{rupiah(v.amount_idr)}</strong>
                <div class="muted">
                  {t.admin.used} {v.uses}/{v.max_uses} · {t.admin.expires.toLowerCase()}{' '}
                  {v.expires_at ? dateTime(v.expires_at, lang) : '—'}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

function StarRow({ payment, onDone }: { payment: StarPayment; onDone: () => Promise<void> }) {
  const { t, lang } = useI18n();
  const form = useForm({ reason: '' }, async (v) => {
    await api('POST /admin/star-payments/{charge_id}/refund', {
      params: { charge_id: payment.charge_id },
      body: { reason: v.reason },
    });
    await onDone();
  });
  return (
    <li data-testid="star-payment">
      <div>
        <strong>{payment.stars} Stars</strong> = {rupiah(payment.amount_idr)}{' '}
        {payment.refunded_at && <span class="tag">{t.admin.refunded}</span>}
      </div>
      <div class="muted">
        {dateTime(payment.created_at, lang)} · <code>{payment.account_id}</code>
      </div>
      {!payment.refunded_at && (
        <form onSubmit={form.submit} noValidate class="sub">
          <Field label={t.admin.reason} {...form.field('reason')} />
          <FormError message={form.formError} />
          <button type="submit" class="secondary" disabled={form.busy}>
            {t.admin.refund}
          </button>
        </form>
      )}
    </li>
  );
}

/**
 * Telegram Stars purchases, optionally of one account, each refundable with a reason: the credit
 * is taken back first (refused when already spent), then Telegram returns the Stars.
 */
export function StarRefunds() {
  const { t } = useI18n();
  const [rows, setRows] = useState<StarPayment[] | null>(null);
  const search = useForm({ account_id: '' }, async (v) => {
    const query = { limit: 50, ...(v.account_id.trim() ? { account_id: v.account_id.trim() } : {}) };
    setRows((await api('GET /admin/star-payments', { query })).data);
  });
  useEffect(() => {
    void search.submit();
  }, []);
  return (
    <Card title={t.admin.stars}>
      <form onSubmit={search.submit} noValidate>
        <Field label={t.admin.accountFilter} autoComplete="off" {...search.field('account_id')} />
        <FormError message={search.formError} />
        <button type="submit" class="secondary" disabled={search.busy}>
          {t.usage.filter}
        </button>
      </form>
      {rows === null ? (
        <p aria-busy="true">{t.common.loading}</p>
      ) : rows.length === 0 ? (
        <p class="muted">{t.common.none}</p>
      ) : (
        <ul class="rows">
          {rows.map((p) => (
            <StarRow key={p.charge_id} payment={p} onDone={async () => void (await search.submit())} />
          ))}
        </ul>
      )}
    </Card>
  );
}
