import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Item, setAdminToken } from '../api';
import { Card, Field, FormEnd, FormError, useForm } from '../components/form';
import { rupiah } from '../format';
import { useI18n } from '../i18n';
import { StarRefunds, Vouchers } from './admin-money';

type Mutation = Item<'GET /admin/mutations/unmatched'>;
type AccountRow = Item<'GET /admin/accounts'>;

function AdminLogin({ onIn }: { onIn: () => void }) {
  const { t } = useI18n();
  const form = useForm({ email: '', password: '', code: '' }, async (v) => {
    const result = await api('POST /admin/login', { body: v });
    setAdminToken(result.token);
    onIn();
  });
  return (
    <Card title={t.admin.login}>
      <form onSubmit={form.submit} noValidate>
        <Field label={t.auth.email} type="email" autoComplete="username" {...form.field('email')} />
        <Field
          label={t.auth.password}
          type="password"
          autoComplete="current-password"
          {...form.field('password')}
        />
        <Field
          label={t.admin.totp}
          inputMode="numeric"
          autoComplete="one-time-code"
          {...form.field('code')}
        />
        <FormEnd form={form} label={t.admin.login} />
      </form>
    </Card>
  );
}

/** One unmatched transfer: credit it to an account, or mark it returned, with a reason (audited). */
function MutationRow({ mutation, onDone }: { mutation: Mutation; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  // Which button submitted: read when the form submits, in the same event (a ref, not state).
  const how = useRef<'assign' | 'returned'>('assign');
  const form = useForm({ account_id: '', reason: '' }, async (v) => {
    const params = { mutation_id: mutation.mutation_id };
    if (how.current === 'assign')
      await api('POST /admin/mutations/{mutation_id}/assign', {
        params,
        body: { account_id: v.account_id.trim(), reason: v.reason },
      });
    else await api('POST /admin/mutations/{mutation_id}/returned', { params, body: { reason: v.reason } });
    await onDone();
  });
  return (
    <li data-testid="mutation">
      <div>
        <strong>{rupiah(mutation.amount_idr)}</strong> <span class="muted">{mutation.mutation_date}</span>
      </div>
      <div class="muted">{mutation.description}</div>
      <form onSubmit={form.submit} noValidate class="sub">
        <Field label={t.admin.assignTo} autoComplete="off" {...form.field('account_id')} />
        <Field label={t.admin.reason} {...form.field('reason')} />
        <FormError message={form.formError} />
        <div class="actions">
          <button type="submit" disabled={form.busy} onClick={() => (how.current = 'assign')}>
            {t.admin.assign}
          </button>
          <button
            type="submit"
            class="secondary"
            disabled={form.busy}
            onClick={() => (how.current = 'returned')}
          >
            {t.admin.returned}
          </button>
        </div>
      </form>
    </li>
  );
}

function Unmatched() {
  const { t } = useI18n();
  const [rows, setRows] = useState<Mutation[] | null>(null);
  const [message, setMessage] = useState<string | undefined>();
  const load = () => api('GET /admin/mutations/unmatched').then((r) => setRows(r.data));
  useEffect(() => {
    void load();
  }, []);
  const done = async () => {
    setMessage(t.admin.resolved);
    await load();
  };
  return (
    <Card title={t.admin.unmatched}>
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      {rows === null ? (
        <p>{t.common.loading}</p>
      ) : rows.length === 0 ? (
        <p class="muted">{t.admin.none}</p>
      ) : (
        <ul class="rows">
          {rows.map((m) => (
            <MutationRow key={m.mutation_id} mutation={m} onDone={done} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/** The chosen account's actions: a balance adjustment, suspension, legal hold, each with a reason. */
function AccountActions({ account, onDone }: { account: AccountRow; onDone: () => Promise<unknown> }) {
  const { t } = useI18n();
  const what = useRef<'adjust' | 'suspend' | 'unsuspend' | 'hold'>('adjust');
  const form = useForm({ amount_idr: '', reason: '' }, async (v) => {
    const params = { id: account.id };
    if (what.current === 'adjust')
      await api('POST /admin/accounts/{id}/balance', {
        params,
        body: { amount_idr: Number(v.amount_idr), reason: v.reason, idempotency_key: crypto.randomUUID() },
      });
    else if (what.current === 'hold')
      await api('POST /admin/accounts/{id}/legal-hold', { params, body: { hold: true, reason: v.reason } });
    else
      await api(
        what.current === 'suspend'
          ? 'POST /admin/accounts/{id}/suspend'
          : 'POST /admin/accounts/{id}/unsuspend',
        { params, body: { reason: v.reason } },
      );
    await onDone();
  });
  const suspended = account.status === 'suspended';
  return (
    <form onSubmit={form.submit} noValidate class="sub">
      <p>
        <code>{account.id}</code>
      </p>
      <Field label={t.admin.adjust} inputMode="decimal" {...form.field('amount_idr')} />
      <Field label={t.admin.reason} {...form.field('reason')} />
      <FormError message={form.formError} />
      {form.done && <p class="notice">{t.admin.resolved}</p>}
      <div class="actions">
        <button type="submit" disabled={form.busy} onClick={() => (what.current = 'adjust')}>
          {t.common.save}
        </button>
        <button
          type="submit"
          class="secondary"
          disabled={form.busy}
          onClick={() => (what.current = suspended ? 'unsuspend' : 'suspend')}
        >
          {suspended ? t.admin.unsuspend : t.admin.suspend}
        </button>
        <button type="submit" class="secondary" disabled={form.busy} onClick={() => (what.current = 'hold')}>
          {t.admin.legalHold}
        </button>
      </div>
    </form>
  );
}

function Accounts() {
  const { t } = useI18n();
  const [rows, setRows] = useState<AccountRow[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const search = useForm({ q: '' }, async (v) => {
    setRows((await api('GET /admin/accounts', { query: { q: v.q } })).data);
  });
  const chosen = rows.find((a) => a.id === selected);
  return (
    <Card title={t.admin.accounts}>
      <form onSubmit={search.submit} noValidate>
        <Field label={t.admin.search} {...search.field('q')} />
        <FormError message={search.formError} />
        <button type="submit" disabled={search.busy}>
          {t.usage.filter}
        </button>
      </form>
      <ul class="rows">
        {rows.map((a) => (
          <li key={a.id}>
            <button type="button" class="link" onClick={() => setSelected(a.id)}>
              {a.email ?? a.id}
            </button>{' '}
            <span class="tag">{a.status}</span> <span class="right">{rupiah(a.balance_idr)}</span>
          </li>
        ))}
      </ul>
      {chosen && <AccountActions key={chosen.id} account={chosen} onDone={() => search.submit()} />}
    </Card>
  );
}

function Health() {
  const { t } = useI18n();
  const [data, setData] = useState<unknown>(null);
  const [audit, setAudit] = useState<{ data: { id: string; action: string; created_at: string }[] } | null>(
    null,
  );
  useEffect(() => {
    void api('GET /admin/health').then(setData);
    void api('GET /admin/audit', { query: { limit: 20 } }).then(setAudit);
  }, []);
  return (
    <>
      <Card title={t.admin.health}>
        <pre class="content">{JSON.stringify(data, null, 2)}</pre>
      </Card>
      <Card title={t.admin.audit}>
        <ul class="rows">
          {audit?.data.map((a) => (
            <li key={a.id}>
              {a.action} <span class="muted right">{a.created_at}</span>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}

/** The operators' console over the /admin API: password + TOTP, a 30-minute session held in memory. */
export function AdminPage() {
  const { t } = useI18n();
  const [signedIn, setSignedIn] = useState(false);
  const [tab, setTab] = useState<'unmatched' | 'accounts' | 'vouchers' | 'stars' | 'health'>('unmatched');
  if (!signedIn) return <AdminLogin onIn={() => setSignedIn(true)} />;
  return (
    <>
      <h1>{t.admin.title}</h1>
      <div class="tabs" role="tablist">
        {(
          [
            ['unmatched', t.admin.unmatched],
            ['accounts', t.admin.accounts],
            ['vouchers', t.admin.vouchers],
            ['stars', t.admin.stars],
            ['health', t.admin.health],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            class={tab === id ? '' : 'secondary'}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'unmatched' && <Unmatched />}
      {tab === 'accounts' && <Accounts />}
      {tab === 'vouchers' && <Vouchers />}
      {tab === 'stars' && <StarRefunds />}
      {tab === 'health' && <Health />}
    </>
  );
}
