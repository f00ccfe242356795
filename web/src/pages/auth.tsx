import { useState } from 'preact/hooks';
import { api, setCsrfToken } from '../api';
import { Card, Field, FormError, useSubmit } from '../components/form';
import { useI18n } from '../i18n';
import { navigate, type Route } from '../router';
import { signedIn } from '../session';

/** Only our own hash routes are followed after sign-in (never an outside URL). */
const safeNext = (next: string | null) =>
  next && /^\/[\w/-]*(\?[\w=&%.-]*)?$/.test(next) ? next : '/dashboard';

export function LoginPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, errors, submit } = useSubmit(async () => {
    const result = await api('POST /auth/login', {
      body: { email, password },
      quiet401: true,
    });
    setCsrfToken(result.csrf_token);
    signedIn(result.account);
    navigate(safeNext(route.query.get('next')));
  });
  const notice = route.query.get('verified')
    ? t.auth.verified
    : route.query.get('reset')
      ? t.auth.resetDone
      : route.query.get('next')
        ? t.auth.expired
        : null;
  return (
    <Card title={t.auth.loginTitle}>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field
          label={t.auth.email}
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
          error={errors.email}
        />
        <Field
          label={t.auth.password}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          error={errors.password}
        />
        <FormError message={errors._} />
        <button type="submit" disabled={busy}>
          {t.auth.loginButton}
        </button>
      </form>
      <p>
        <a href="#/forgot">{t.auth.forgot}</a>
      </p>
      <p>
        {t.auth.noAccount} <a href="#/signup">{t.nav.signup}</a>
      </p>
    </Card>
  );
}

export function SignupPage() {
  const { t } = useI18n();
  const [form, setForm] = useState({ email: '', password: '', name: '' });
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, errors, submit } = useSubmit(async () => {
    await api('POST /auth/signup', {
      body: { email: form.email, password: form.password, ...(form.name ? { name: form.name } : {}) },
    });
    setSentTo(form.email);
  });
  if (sentTo) {
    return (
      <Card title={t.auth.signupTitle}>
        <p class="notice" role="status">
          {t.auth.checkEmail} <strong>{sentTo}</strong>.
        </p>
        <a class="button" href="#/login">
          {t.nav.login}
        </a>
      </Card>
    );
  }
  const set = (key: keyof typeof form) => (e: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form, [key]: e.currentTarget.value });
  return (
    <Card title={t.auth.signupTitle}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t.auth.email}
          name="email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onInput={set('email')}
          error={errors.email}
        />
        <Field
          label={t.auth.password}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t.auth.passwordHint}
          value={form.password}
          onInput={set('password')}
          error={errors.password}
        />
        <Field
          label={t.auth.name}
          name="name"
          autoComplete="name"
          value={form.name}
          onInput={set('name')}
          error={errors.name}
        />
        <FormError message={errors._} />
        <button type="submit" disabled={busy}>
          {t.auth.signupButton}
        </button>
      </form>
      <p>
        {t.auth.haveAccount} <a href="#/login">{t.nav.login}</a>
      </p>
    </Card>
  );
}

export function ForgotPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, errors, submit } = useSubmit(async () => {
    await api('POST /auth/password-reset', { body: { email } });
    setSent(true);
  });
  return (
    <Card title={t.auth.forgotTitle}>
      {sent ? (
        <p class="notice" role="status">
          {t.auth.forgotSent}
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field
            label={t.auth.email}
            name="email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
          />
          <FormError message={errors._} />
          <button type="submit" disabled={busy}>
            {t.auth.forgotButton}
          </button>
        </form>
      )}
    </Card>
  );
}

export function ResetPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const { busy, errors, submit } = useSubmit(async () => {
    await api('POST /auth/password-reset/confirm', {
      body: { token: route.query.get('token') ?? '', password },
    });
    navigate('/login?reset=1');
  });
  return (
    <Card title={t.auth.resetTitle}>
      <form onSubmit={submit} noValidate>
        <Field
          label={t.settings.newPassword}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={t.auth.passwordHint}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          error={errors.password}
        />
        <FormError message={errors._ ?? errors.token} />
        <button type="submit" disabled={busy}>
          {t.auth.resetButton}
        </button>
      </form>
    </Card>
  );
}
