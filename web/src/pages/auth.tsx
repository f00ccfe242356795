import { api, setCsrfToken } from '../api';
import { Card, Field, FormEnd, useForm } from '../components/form';
import { useI18n } from '../i18n';
import { navigate, type Route } from '../router';
import { signedIn } from '../session';

/** Only our own hash routes are followed after sign-in (never an outside URL). */
const safeNext = (next: string | null) =>
  next && /^\/[\w/-]*(\?[\w=&%.-]*)?$/.test(next) ? next : '/dashboard';

export function LoginPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const form = useForm({ email: '', password: '' }, async (v) => {
    const result = await api('POST /auth/login', { body: v, quiet401: true });
    // The web app asks for the cookie session (`x-aiport-client: web`): its answer carries the CSRF token.
    setCsrfToken('csrf_token' in result ? result.csrf_token : null);
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
      <form onSubmit={form.submit} noValidate>
        <Field label={t.auth.email} type="email" autoComplete="email" required {...form.field('email')} />
        <Field
          label={t.auth.password}
          type="password"
          autoComplete="current-password"
          required
          {...form.field('password')}
        />
        <FormEnd form={form} label={t.auth.loginButton} />
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
  const { t, lang } = useI18n();
  const form = useForm({ email: '', password: '', name: '' }, async (v) => {
    // The account (and its verification email) speaks the language of the page it was made on.
    await api('POST /auth/signup', {
      body: { email: v.email, password: v.password, locale: lang, ...(v.name ? { name: v.name } : {}) },
    });
  });
  if (form.done) {
    return (
      <Card title={t.auth.signupTitle}>
        <p class="notice" role="status">
          {t.auth.checkEmail} <strong>{form.values.email}</strong>.
        </p>
        <a class="button" href="#/login">
          {t.nav.login}
        </a>
      </Card>
    );
  }
  return (
    <Card title={t.auth.signupTitle}>
      <form onSubmit={form.submit} noValidate>
        <Field label={t.auth.email} type="email" autoComplete="email" required {...form.field('email')} />
        <Field
          label={t.auth.password}
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint={t.auth.passwordHint}
          {...form.field('password')}
        />
        <Field label={t.auth.name} autoComplete="name" {...form.field('name')} />
        <FormEnd form={form} label={t.auth.signupButton} />
      </form>
      <p>
        {t.auth.haveAccount} <a href="#/login">{t.nav.login}</a>
      </p>
    </Card>
  );
}

export function ForgotPage() {
  const { t } = useI18n();
  const form = useForm({ email: '' }, (v) => api('POST /auth/password-reset', { body: v }));
  return (
    <Card title={t.auth.forgotTitle}>
      {form.done ? (
        <p class="notice" role="status">
          {t.auth.forgotSent}
        </p>
      ) : (
        <form onSubmit={form.submit} noValidate>
          <Field label={t.auth.email} type="email" autoComplete="email" required {...form.field('email')} />
          <FormEnd form={form} label={t.auth.forgotButton} />
        </form>
      )}
    </Card>
  );
}

export function ResetPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const form = useForm({ password: '' }, async (v) => {
    await api('POST /auth/password-reset/confirm', {
      body: { token: route.query.get('token') ?? '', password: v.password },
    });
    navigate('/login?reset=1');
  });
  return (
    <Card title={t.auth.resetTitle}>
      <form onSubmit={form.submit} noValidate>
        <Field
          label={t.settings.newPassword}
          type="password"
          autoComplete="new-password"
          required
          hint={t.auth.passwordHint}
          {...form.field('password')}
        />
        <FormEnd form={form} label={t.auth.resetButton} />
      </form>
    </Card>
  );
}
