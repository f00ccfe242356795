import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken } from './api';
import { useI18n } from './i18n';
import { AdminPage } from './pages/admin';
import { ForgotPage, LoginPage, ResetPage, SignupPage } from './pages/auth';
import { DashboardPage } from './pages/dashboard';
import { KeysPage } from './pages/keys';
import { PlaygroundPage } from './pages/playground';
import { HomePage, LegalPage, PricingPage, QuickstartPage } from './pages/public';
import { SettingsPage } from './pages/settings';
import { TopupPage } from './pages/topup';
import { UsagePage } from './pages/usage';
import { loginRedirect, navigate, type Route, useRoute } from './router';
import { chooseLanguage, loadSession, setAccount, useAccount } from './session';

const SIGNED_IN_PAGES: Record<string, () => preact.JSX.Element | null> = {
  '/dashboard': DashboardPage,
  '/keys': KeysPage,
  '/topup': TopupPage,
  '/usage': UsagePage,
  '/playground': PlaygroundPage,
  '/settings': SettingsPage,
};

function Page({ route }: { route: Route }) {
  const account = useAccount();
  const signedInPage = SIGNED_IN_PAGES[route.path];
  if (signedInPage) {
    if (account === undefined) return <p aria-busy="true">…</p>;
    if (account === null) {
      // Unless the page is already being left (sign-out, deletion), remember it and sign in.
      if (location.hash.replace(/^#/, '').split('?')[0] === route.path) loginRedirect();
      return null;
    }
    const Component = signedInPage;
    return <Component />;
  }
  switch (route.path) {
    case '/login':
      return <LoginPage route={route} />;
    case '/signup':
      return <SignupPage />;
    case '/forgot':
      return <ForgotPage />;
    case '/reset':
      return <ResetPage route={route} />;
    case '/pricing':
      return <PricingPage />;
    case '/quickstart':
      return <QuickstartPage />;
    case '/terms':
      return <LegalPage which="terms" />;
    case '/privacy':
      return <LegalPage which="privacy" />;
    case '/admin':
      return <AdminPage />;
    default:
      return <HomePage deleted={route.query.has('deleted')} />;
  }
}

function Header() {
  const { t, lang } = useI18n();
  const account = useAccount();
  const [open, setOpen] = useState(false);
  const route = useRoute();
  useEffect(() => setOpen(false), [route.path]);
  const links: [string, string][] = account
    ? [
        ['/dashboard', t.nav.dashboard],
        ['/playground', t.nav.playground],
        ['/keys', t.nav.keys],
        ['/topup', t.nav.topup],
        ['/usage', t.nav.usage],
        ['/settings', t.nav.settings],
      ]
    : [
        ['/pricing', t.nav.pricing],
        ['/quickstart', t.nav.quickstart],
        ['/login', t.nav.login],
        ['/signup', t.nav.signup],
      ];
  const logout = async () => {
    await api('POST /auth/logout').catch(() => {});
    setCsrfToken(null);
    setAccount(null);
    navigate('/login');
  };
  return (
    <header class="top">
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t.common.skip}
      </button>
      <a class="brand" href={account ? '#/dashboard' : '#/'}>
        AIport
      </a>
      <button
        type="button"
        class="lang"
        onClick={() => void chooseLanguage(lang === 'id' ? 'en' : 'id').catch(() => {})}
        lang={lang === 'id' ? 'en' : 'id'}
      >
        {t.common.switchLang}
      </button>
      <button
        type="button"
        class="menu-toggle"
        aria-expanded={open}
        aria-controls="nav"
        onClick={() => setOpen(!open)}
      >
        {t.nav.menu}
      </button>
      <nav id="nav" class={open ? 'open' : ''} aria-label={t.nav.menu}>
        {links.map(([href, label]) => (
          <a key={href} href={`#${href}`} aria-current={route.path === href ? 'page' : undefined}>
            {label}
          </a>
        ))}
        {account && (
          <button type="button" class="link" onClick={logout}>
            {t.nav.logout}
          </button>
        )}
      </nav>
    </header>
  );
}

function Footer() {
  const { t } = useI18n();
  return (
    <footer>
      <a href="#/pricing">{t.nav.pricing}</a> · <a href="#/quickstart">{t.nav.quickstart}</a> ·{' '}
      <a href="/docs">{t.nav.docs}</a> · <a href="#/terms">{t.nav.terms}</a> ·{' '}
      <a href="#/privacy">{t.nav.privacy}</a>
    </footer>
  );
}

export function App() {
  const route = useRoute();
  useEffect(() => {
    void loadSession();
  }, []);
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <Footer />
    </>
  );
}
