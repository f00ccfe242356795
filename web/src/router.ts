import { useEffect, useState } from 'preact/hooks';

/** A hash route: `#/keys?x=1` -> { path: '/keys', query }. Hash routes never collide with API paths. */
export interface Route {
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = hash.split('?');
  return { path, query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => {
      setRoute(current());
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(to: string): void {
  location.hash = to;
}

/** Where an expired session sends people: the login page, remembering where they were going. */
export function loginRedirect(): void {
  const here = location.hash.replace(/^#/, '') || '/';
  if (here.startsWith('/login')) return;
  navigate(`/login?next=${encodeURIComponent(here)}`);
}
