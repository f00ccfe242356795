import { useEffect, useState } from 'preact/hooks';
import { api, setAdminToken } from '../api';
import { Card, Field, FormError, useSubmit } from '../components/form';
import { dateTime, rupiah } from '../format';
import { useI18n } from '../i18n';

interface Mutation {
  mutation_id: string;
  amount_idr: number;
  description: string | null;
  mutation_date: string;
  bank_id: string;
}
interface AccountRow {
  id: string;
  email: string | null;
  name: string | null;
  status: string;
  balance_idr: number;
}

function AdminLogin({ onIn }: { onIn: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ email: '', password: '', code: '' });
  const { busy, errors, submit } = useSubmit(async () => {
    const result = await api('POST /admin/login', { body: form });
    setAdminToken(result.token);
    onIn();
  });
  const set = (key: keyof typeof form) => (e: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form, [key]: e.currentTarget.value });
  return (
    <Card title={t.admin.login}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t.auth.email}
          name="email"
          type="email"
          autoComplete="username"
          value={form.email}
          onInput={set('email')}
          error={errors.email}
        />
        <Field
          label={t.auth.password}
          name="password"
          type="password"
          autoComplete="current-password"
          value={form.password}
          onInput={set('password')}
          error={errors.password}
        />
        <Field
          label={t.admin.totp}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={form.code}
          onInput={set('code')}
          error={errors.code}
        />
        <FormError message={errors._} />
        <button type="submit" disabled={busy}>
          {t.admin.login}
        </button>
      </form>
    </Card>
  );
}

function Unmatched() {
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<Mutation[] | null>(null);
  const [target, setTarget] = useState<Record<string, { account: string; reason: string }>>({});
  const [message, setMessage] = useState<string | undefined>();
  const load = () => api('GET /admin/mutations/unmatched').then((r) => setRows(r.data));
  useEffect(() => {
    void load();
  }, []);
  const act = useSubmit(async () => undefined);
  const resolve = async (m: Mutation, how: 'assign' | 'returned') => {
    const input = target[m.mutation_id] ?? { account: '', reason: '' };
    await act.submit();
    try {
      if (how === 'assign')
        await api('POST /admin/mutations/{mutation_id}/assign', {
          params: { mutation_id: m.mutation_id },
          body: { account_id: input.account.trim(), reason: input.reason },
        });
      else
        await api('POST /admin/mutations/{mutation_id}/returned', {
          params: { mutation_id: m.mutation_id },
          body: { reason: input.reason },
        });
      setMessage(t.admin.resolved);
      await load();
    } catch (e) {
      act.setErrors({ [m.mutation_id]: (e as Error).message });
    }
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
          {rows.map((m) => {
            const input = target[m.mutation_id] ?? { account: '', reason: '' };
            const set = (key: 'account' | 'reason') => (e: { currentTarget: HTMLInputElement }) =>
              setTarget({ ...target, [m.mutation_id]: { ...input, [key]: e.currentTarget.value } });
            return (
              <li key={m.mutation_id} data-testid="mutation">
                <div>
                  <strong>{rupiah(m.amount_idr)}</strong> <span class="muted">{m.mutation_date}</span>
                </div>
                <div class="muted">{m.description}</div>
                <Field
                  label={t.admin.assignTo}
                  name="account_id"
                  value={input.account}
                  onInput={set('account')}
                />
                <Field label={t.admin.reason} name="reason" value={input.reason} onInput={set('reason')} />
                {act.errors[m.mutation_id] && (
                  <p class="error" role="alert">
                    {act.errors[m.mutation_id]}
                  </p>
                )}
                <button type="button" onClick={() => resolve(m, 'assign')}>
                  {t.admin.assign}
                </button>{' '}
                <button type="button" class="secondary" onClick={() => resolve(m, 'returned')}>
                  {t.admin.returned}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p class="muted">{dateTime(new Date().toISOString(), lang)}</p>
    </Card>
  );
}

function Accounts() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<AccountRow[]>([]);
  const [selected, setSelected] = useState<AccountRow | null>(null);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const search = useSubmit(async () => {
    setRows((await api('GET /admin/accounts', { query: { q } })).data);
  });
  const action = useSubmit(async () => undefined);
  const run = async (what: 'adjust' | 'suspend' | 'unsuspend' | 'hold') => {
    if (!selected) return;
    await action.submit();
    try {
      const params = { id: selected.id };
      if (what === 'adjust')
        await api('POST /admin/accounts/{id}/balance', {
          params,
          body: { amount_idr: Number(amount), reason, idempotency_key: crypto.randomUUID() },
        });
      else if (what === 'hold')
        await api('POST /admin/accounts/{id}/legal-hold', { params, body: { hold: true, reason } });
      else
        await api(
          what === 'suspend' ? 'POST /admin/accounts/{id}/suspend' : 'POST /admin/accounts/{id}/unsuspend',
          { params, body: { reason } },
        );
      await search.submit();
      action.setErrors({ ok: t.admin.resolved });
    } catch (e) {
      action.setErrors({ _: (e as Error).message });
    }
  };
  return (
    <Card title={t.admin.accounts}>
      <form onSubmit={search.submit} noValidate>
        <Field
          label={t.admin.search}
          name="q"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
          error={search.errors.q}
        />
        <button type="submit">{t.usage.filter}</button>
      </form>
      <ul class="rows">
        {rows.map((a) => (
          <li key={a.id}>
            <button type="button" class="link" onClick={() => setSelected(a)}>
              {a.email ?? a.id}
            </button>{' '}
            <span class="tag">{a.status}</span> <span class="right">{rupiah(a.balance_idr)}</span>
          </li>
        ))}
      </ul>
      {selected && (
        <div class="sub">
          <p>
            <code>{selected.id}</code>
          </p>
          <Field
            label={t.admin.adjust}
            name="amount_idr"
            inputMode="decimal"
            value={amount}
            onInput={(e) => setAmount(e.currentTarget.value)}
          />
          <Field
            label={t.admin.reason}
            name="reason"
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          <FormError message={action.errors._} />
          {action.errors.ok && <p class="notice">{action.errors.ok}</p>}
          <div class="actions">
            <button type="button" onClick={() => run('adjust')}>
              {t.common.save}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => run(selected.status === 'suspended' ? 'unsuspend' : 'suspend')}
            >
              {selected.status === 'suspended' ? t.admin.unsuspend : t.admin.suspend}
            </button>
            <button type="button" class="secondary" onClick={() => run('hold')}>
              {t.admin.legalHold}
            </button>
          </div>
        </div>
      )}
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
  const [tab, setTab] = useState<'unmatched' | 'accounts' | 'health'>('unmatched');
  if (!signedIn) return <AdminLogin onIn={() => setSignedIn(true)} />;
  return (
    <>
      <h1>{t.admin.title}</h1>
      <div class="tabs" role="tablist">
        {(
          [
            ['unmatched', t.admin.unmatched],
            ['accounts', t.admin.accounts],
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
      {tab === 'health' && <Health />}
    </>
  );
}
