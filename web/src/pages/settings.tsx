import { useEffect, useState } from 'preact/hooks';
import { api, type Item, setCsrfToken } from '../api';
import { Card, Field, FormEnd, FormError, SelectField, useForm } from '../components/form';
import { dateTime, deviceName } from '../format';
import { type Lang, setLang, useI18n } from '../i18n';
import { navigate } from '../router';
import { type Account, setAccount, useAccount } from '../session';
import { LinkAccounts } from './settings-links';

type Session = Item<'GET /auth/sessions'>;

function Profile({ account }: { account: Account }) {
  const { t } = useI18n();
  const form = useForm(
    { name: account.name ?? '', zero_retention: account.zero_retention, locale: account.locale as string },
    async (v) => {
      setAccount(
        await api('PATCH /account', {
          body: { name: v.name || null, zero_retention: v.zero_retention, locale: v.locale as Lang },
        }),
      );
      setLang(v.locale as Lang);
    },
  );
  return (
    <Card title={t.settings.profile}>
      <form onSubmit={form.submit} noValidate>
        <Field label={t.settings.name} autoComplete="name" {...form.field('name')} />
        <SelectField
          label={t.settings.language}
          {...form.field('locale')}
          options={[
            ['id', 'Bahasa Indonesia'],
            ['en', 'English'],
          ]}
        />
        <p class="hint">{t.settings.languageSaved}</p>
        <label class="check">
          <input type="checkbox" {...form.check('zero_retention')} /> {t.settings.zeroRetention}
        </label>
        <FormEnd form={form} label={t.common.save} doneText={t.common.saved} />
      </form>
    </Card>
  );
}

function EmailChange({ account }: { account: Account }) {
  const { t } = useI18n();
  const form = useForm({ email: '' }, async (v) => setAccount(await api('PATCH /account', { body: v })));
  return (
    <Card title={t.settings.emailChange}>
      <p>
        {account.email} {!account.email_verified && <span class="tag">{t.auth.notVerified}</span>}
      </p>
      <form onSubmit={form.submit} noValidate>
        <Field
          label={t.settings.newEmail}
          type="email"
          autoComplete="email"
          hint={t.settings.emailReverify}
          {...form.field('email')}
        />
        <FormEnd
          form={form}
          label={t.common.save}
          doneText={
            <>
              {t.auth.checkEmail} {form.values.email}.
            </>
          }
        />
      </form>
    </Card>
  );
}

function Security() {
  const { t, lang } = useI18n();
  const [sessions, setSessions] = useState<Session[]>([]);
  const load = () => api('GET /auth/sessions').then((r) => setSessions(r.data));
  useEffect(() => {
    void load();
  }, []);
  const form = useForm({ current_password: '', new_password: '' }, async (v) => {
    await api('POST /account/password', { body: v });
    form.setValues({ current_password: '', new_password: '' });
    await load();
  });
  return (
    <>
      <Card title={t.settings.password}>
        <form onSubmit={form.submit} noValidate>
          <Field
            label={t.settings.currentPassword}
            type="password"
            autoComplete="current-password"
            {...form.field('current_password')}
          />
          <Field
            label={t.settings.newPassword}
            type="password"
            autoComplete="new-password"
            hint={t.auth.passwordHint}
            {...form.field('new_password')}
          />
          <FormEnd form={form} label={t.common.save} doneText={t.settings.passwordChanged} />
        </form>
      </Card>
      <Card title={t.settings.sessions}>
        <ul class="rows">
          {sessions.map((s) => (
            <li key={s.id}>
              <div>
                <span title={s.user_agent ?? undefined}>{deviceName(s.user_agent)}</span>{' '}
                {s.current && <span class="tag">{t.settings.thisDevice}</span>}
              </div>
              <div class="muted">
                {s.ip} · {dateTime(s.last_seen_at, lang)}
              </div>
              {!s.current && (
                <button
                  type="button"
                  class="secondary small"
                  onClick={async () => {
                    await api('DELETE /auth/sessions/{id}', { params: { id: s.id } });
                    await load();
                  }}
                >
                  {t.settings.endSession}
                </button>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}

function Danger({ account }: { account: Account }) {
  const { t } = useI18n();
  const form = useForm({ password: '', confirm: '' }, async (v) => {
    await api('DELETE /account', {
      body: { confirm: v.confirm, ...(account.email ? { password: v.password } : {}) },
    });
    setCsrfToken(null);
    setAccount(null);
    navigate('/?deleted=1');
  });
  return (
    <>
      <Card title={t.settings.export}>
        <p class="muted">{t.settings.exportHint}</p>
        <a class="button secondary" href="/account/export" download data-testid="export">
          {t.settings.export}
        </a>
      </Card>
      <Card title={t.settings.delete}>
        <p class="warning">{t.settings.deleteHint}</p>
        <form onSubmit={form.submit} noValidate>
          {account.email && (
            <Field
              label={t.auth.password}
              type="password"
              autoComplete="current-password"
              {...form.field('password')}
            />
          )}
          <Field label={t.settings.deleteConfirmWord} autoComplete="off" {...form.field('confirm')} />
          <FormError message={form.formError} />
          <button type="submit" class="danger" disabled={form.busy || form.values.confirm !== 'DELETE'}>
            {t.settings.deleteButton}
          </button>
        </form>
      </Card>
    </>
  );
}

export function SettingsPage() {
  const { t } = useI18n();
  const account = useAccount();
  if (!account) return null;
  return (
    <>
      <h1>{t.settings.title}</h1>
      <Profile account={account} />
      {account.email && <EmailChange account={account} />}
      <LinkAccounts />
      <Security />
      <Danger account={account} />
    </>
  );
}
