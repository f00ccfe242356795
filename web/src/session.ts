import { useEffect, useState } from 'preact/hooks';
import { type Answer, api, setCsrfToken } from './api';
import { type Lang, setLang } from './i18n';

export type Account = Answer<'GET /account'>;

/** The signed-in account, shared by every page; undefined while unknown, null when signed out. */
let account: Account | null | undefined;
const listeners = new Set<() => void>();

/**
 * Signing in (or learning who is signed in) takes the account's saved language; changing the
 * account's language later goes through `chooseLanguage`.
 */
export function signedIn(next: Account): void {
  setLang(next.locale);
  setAccount(next);
}

export function setAccount(next: Account | null): void {
  account = next;
  for (const listener of listeners) listener();
}

export function useAccount(): Account | null | undefined {
  const [, force] = useState(0);
  useEffect(() => {
    const listener = () => force((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return account;
}

/** Asks the server who is signed in (the cookie is HttpOnly: only the server can tell). */
export async function loadSession(): Promise<void> {
  try {
    const session = await api('GET /auth/session', {
      quiet401: true,
    });
    setCsrfToken(session.csrf_token);
    signedIn(session.account);
  } catch {
    setCsrfToken(null);
    setAccount(null);
  }
}

export async function refreshAccount(): Promise<void> {
  setAccount(await api('GET /account'));
}

/** Switches the language; a signed-in person's choice is saved on the account (bots and emails use it too). */
export async function chooseLanguage(next: Lang): Promise<void> {
  setLang(next);
  if (account && account.locale !== next) setAccount(await api('PATCH /account', { body: { locale: next } }));
}
