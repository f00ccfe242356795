import type { Operations } from './api-schema';
import { loginRedirect } from './router';

/** An API error as the server states it, with the field it concerns (shown next to that field). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly param: string | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
/** The admin console's short-lived session: kept in memory only, gone on reload (never in storage). */
let adminToken: string | null = null;
export function setAdminToken(token: string | null): void {
  adminToken = token;
}
/** Set from the login answer or GET /auth/session; sent on every write (the cookie alone is not enough). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The JSON body an operation needs, or an upload (`form`, multipart) in its place. */
type Options<K extends keyof Operations> = ([Operations[K]['body']] extends [never]
  ? { body?: undefined; form?: FormData }
  : { body: Operations[K]['body']; form?: undefined } | { body?: undefined; form: FormData }) &
  ([Operations[K]['query']] extends [never] ? { query?: undefined } : { query?: Operations[K]['query'] });

/** What an operation answers, as the server's document states it (`tsc -p web` catches a drift). */
export type Answer<K extends keyof Operations> = Operations[K]['response'];

/** One element of a list answer's `data`. */
export type Item<K extends keyof Operations> = Answer<K> extends { data: Array<infer T> } ? T : never;

/** Path parameters are filled into the route's `{name}` slots. */
export type Params = Record<string, string>;

type CallOptions<K extends keyof Operations> = Options<K> & {
  params?: Params;
  /** A signed-out page's call: a 401 is its answer, not an expired session. */
  quiet401?: boolean;
};

/**
 * Calls an operation of the server, typed by its OpenAPI document: `api('POST /account/keys', {
 * body })`. Same-origin cookies carry the session; an expired session goes to the login page and
 * remembers where the person was.
 */
export async function api<K extends keyof Operations>(
  operation: K,
  options: CallOptions<K> = {} as CallOptions<K>,
): Promise<Answer<K>> {
  return (await call(operation, options)).data;
}

/** Like `api()`, with the answer's headers too (costs travel in `x-aiport-cost-idr`). */
export async function call<K extends keyof Operations>(
  operation: K,
  options: CallOptions<K> = {} as CallOptions<K>,
): Promise<{ data: Answer<K>; headers: Headers }> {
  const [method, template] = (operation as string).split(' ') as [string, string];
  let path = template.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(options.params?.[name] ?? ''),
  );
  if (options.query) {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query as Record<string, unknown>)) {
      if (v !== undefined && v !== '') search.set(k, String(v));
    }
    if ([...search].length) path += `?${search}`;
  }
  const answer = await send(method, path, options.form ?? options.body, options.quiet401);
  return { data: answer.data as Answer<K>, headers: answer.headers };
}

/**
 * One call to the server: JSON or a multipart form (uploads), the session cookie and the CSRF
 * token on writes. Answers the JSON and the headers (costs travel in `x-aiport-cost-idr`); a
 * failure throws the server's error as an ApiError.
 */
async function send(
  method: string,
  path: string,
  body?: unknown,
  quiet401?: boolean,
): Promise<{ data: unknown; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json', 'x-aiport-client': 'web' };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const admin = path.startsWith('/admin/');
  if (admin && adminToken) headers.authorization = `Bearer ${adminToken}`;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
  });
  const data = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
  if (!response.ok) {
    // Only a session that was open can expire; a signed-out page has nothing to return to.
    if (response.status === 401 && !quiet401 && !admin && csrfToken) loginRedirect();
    if (response.status === 401 && admin) adminToken = null;
    const error =
      (data as { error?: { message?: string; param?: string; code?: string } } | null)?.error ?? {};
    throw new ApiError(
      error.message ?? `HTTP ${response.status}`,
      response.status,
      error.param ?? null,
      error.code ?? null,
    );
  }
  return { data, headers: response.headers };
}

/** Headers for calls made outside `api()` (the streamed playground, downloads). */
export function writeHeaders(): Record<string, string> {
  return { 'x-aiport-client': 'web', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) };
}
