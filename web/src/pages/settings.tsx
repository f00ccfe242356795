import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken } from '../api';
import { Card, Field, FormError, useSubmit } from '../components/form';
import { dateTime } from '../format';
import { setLang, useI18n } from '../i18n';
import { navigate } from '../router';
import { type Account, setAccount, useAccount } from '../session';

interface Session {
  id: string;
  current: boolean;
  user_agent: string | null;
  ip: string | null;
  last_seen_at: string;
}

function Profile({ account }: { account: Account }) {
  const { t, lang } = useI18n();
  const [name, setName] = useState(account.name ?? '');
  const [zeroRetention, setZeroRetention] = useState(account.zero_retention);
  const [saved, setSaved] = useState(false);
  const { busy, errors, submit } = useSubmit(async () => {
    setAccount(await api('PATCH /account', { body: { name: name || null, zero_retention: zeroRetention } }));
    setSaved(true);
  });
  return (
    <Card title={t.settings.profile}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t.settings.name}
          name="name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          error={errors.name}
        />
        <label class="check">
          <input
            type="checkbox"
            checked={zeroRetention}
            onChange={(e) => setZeroRetention(e.currentTarget.checked)}
          />{' '}
          {t.settings.zeroRetention}
        </label>
        <FormError message={errors._} />
        {saved && (
          <p class="notice" role="status">
            {t.common.saved}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t.common.save}
        </button>
      </form>
      <p>
        {t.settings.language}:{' '}
        <button type="button" class="secondary" onClick={() => setLang(lang === 'id' ? 'en' : 'id')}>
          {t.common.switchLang}
        </button>
      </p>
    </Card>
  );
}

function EmailChange({ account }: { account: Account }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, errors, submit } = useSubmit(async () => {
    setAccount(await api('PATCH /account', { body: { email } }));
    setSent(true);
  });
  return (
    <Card title={t.settings.emailChange}>
      <p>
        {account.email} {!account.email_verified && <span class="tag">{t.auth.notVerified}</span>}
      </p>
      <form onSubmit={submit} noValidate>
        <Field
          label={t.settings.newEmail}
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          error={errors.email}
          hint={t.settings.emailReverify}
        />
        <FormError message={errors._} />
        {sent && (
          <p class="notice" role="status">
            {t.auth.checkEmail} {email}.
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t.common.save}
        </button>
      </form>
    </Card>
  );
}

function Security() {
  const { t, lang } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const [sessions, setSessions] = useState<Session[]>([]);
  const load = () => api('GET /auth/sessions').then((r) => setSessions(r.data));
  useEffect(() => {
    void load();
  }, []);
  const { busy, errors, submit } = useSubmit(async () => {
    await api('POST /account/password', { body: { current_password: current, new_password: next } });
    setDone(true);
    setCurrent('');
    setNext('');
    await load();
  });
  return (
    <>
      <Card title={t.settings.password}>
        <form onSubmit={submit} noValidate>
          <Field
            label={t.settings.currentPassword}
            name="current_password"
            type="password"
            autoComplete="current-password"
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
            error={errors.current_password}
          />
          <Field
            label={t.settings.newPassword}
            name="new_password"
            type="password"
            autoComplete="new-password"
            hint={t.auth.passwordHint}
            value={next}
            onInput={(e) => setNext(e.currentTarget.value)}
            error={errors.new_password ?? errors.password}
          />
          <FormError message={errors._} />
          {done && (
            <p class="notice" role="status">
              {t.settings.passwordChanged}
            </p>
          )}
          <button type="submit" disabled={busy}>
            {t.common.save}
          </button>
        </form>
      </Card>
      <Card title={t.settings.sessions}>
        <ul class="rows">
          {sessions.map((s) => (
            <li key={s.id}>
              <div>
                {(s.user_agent ?? '?').slice(0, 60)}{' '}
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
  const [password, setPassword] = useState('');
  const [confirmWord, setConfirmWord] = useState('');
  const { busy, errors, submit } = useSubmit(async () => {
    await api('DELETE /account', { body: { confirm: confirmWord, password } });
    setCsrfToken(null);
    setAccount(null);
    navigate('/?deleted=1');
  });
  return (
    <>
      <Card title={t.settings.link}>
        <p>{t.settings.linkHint}</p>
      </Card>
      <Card title={t.settings.export}>
        <p class="muted">{t.settings.exportHint}</p>
        <a class="button secondary" href="/account/export" download data-testid="export">
          {t.settings.export}
        </a>
      </Card>
      <Card title={t.settings.delete}>
        <p class="warning">{t.settings.deleteHint}</p>
        <form onSubmit={submit} noValidate>
          {account.email && (
            <Field
              label={t.auth.password}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              error={errors.password}
            />
          )}
          <Field
            label={t.settings.deleteConfirmWord}
            name="confirm"
            autoComplete="off"
            value={confirmWord}
            onInput={(e) => setConfirmWord(e.currentTarget.value)}
            error={errors.confirm}
          />
          <FormError message={errors._} />
          <button type="submit" class="danger" disabled={busy || confirmWord !== 'DELETE'}>
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
      <Security />
      <Danger account={account} />
    </>
  );
}
