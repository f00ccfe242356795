import { useEffect, useState } from 'preact/hooks';
import { en } from './i18n-en';
import { id } from './i18n-id';

export type Lang = 'id' | 'en';
export type Messages = typeof id;

const STORE_KEY = 'aiport.lang';
let lang: Lang = (localStorage.getItem(STORE_KEY) as Lang | null) === 'en' ? 'en' : 'id';
const listeners = new Set<() => void>();

/** Bahasa Indonesia unless the person chose English (remembered on this device, and on the account). */
export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(STORE_KEY, next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener();
}

export function useI18n(): { t: Messages; lang: Lang } {
  const [, force] = useState(0);
  useEffect(() => {
    const listener = () => force((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return { t: lang === 'en' ? en : id, lang };
}

document.documentElement.lang = lang;
