import { CoreError, isCoreError } from '../../errors.js';
import { type BankMutation, parseMootaMutationPage, type RejectedMutation } from './parse-mutations.js';

/** The part of `fetch` the client uses; the global fetch (undici) fits, and so does a test double. */
export type MootaFetch = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface MootaRestClientOptions {
  /** e.g. `https://app.moota.co` */
  baseUrl: string;
  /** Personal access token; an empty one makes every call fail (closed) without a request. */
  token: string;
  fetch?: MootaFetch;
  /** Upper bound on pages read by one `listMutations` call (default 50). */
  maxPages?: number;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
}

export interface MootaMutationQuery {
  type?: 'CR' | 'DB';
  /** `YYYY-MM-DD`, inclusive. */
  startDate?: string;
  /** `YYYY-MM-DD`, inclusive. */
  endDate?: string;
  /** Moota `bank_id`. */
  bankId?: string;
  /** Page size asked of Moota (default 100). */
  perPage?: number;
}

export interface MootaMutationList {
  /** Deduplicated by `mutationId` across pages (pages shift when new mutations arrive mid-listing). */
  mutations: BankMutation[];
  rejected: RejectedMutation[];
  pagesRead: number;
  /** True when `maxPages` stopped the listing before the last page. */
  truncated: boolean;
}

export interface MootaRestClient {
  listMutations(query?: MootaMutationQuery): Promise<MootaMutationList>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function createMootaRestClient(options: MootaRestClientOptions): MootaRestClient {
  const fetchImpl: MootaFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const maxPages = options.maxPages ?? 50;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const endpoint = new URL('/api/v2/mutation', options.baseUrl);

  async function getPage(params: URLSearchParams): Promise<unknown> {
    if (!options.token) {
      throw new CoreError('upstream_error', 'Moota API token is not configured', { retryable: false });
    }
    const url = new URL(endpoint);
    url.search = params.toString();
    let response: Awaited<ReturnType<MootaFetch>>;
    let text: string;
    try {
      response = await fetchImpl(url.toString(), {
        method: 'GET',
        headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      throw new CoreError('upstream_unavailable', 'Moota API could not be reached', {
        retryable: true,
        cause,
      });
    }
    throwForStatus(response.status);
    try {
      return JSON.parse(text);
    } catch {
      throw new CoreError('upstream_error', 'Moota API answered with a body that is not JSON', {
        retryable: true,
        details: { status: response.status },
      });
    }
  }

  return {
    async listMutations(query = {}) {
      const params = buildParams(query);
      const seen = new Map<string, BankMutation>();
      const rejected: RejectedMutation[] = [];
      const result = (pagesRead: number, truncated: boolean): MootaMutationList => ({
        mutations: [...seen.values()],
        rejected,
        pagesRead,
        truncated,
      });
      for (let page = 1; page <= maxPages; page += 1) {
        params.set('page', String(page));
        const parsed = parsePage(await getPage(params));
        for (const mutation of parsed.mutations) {
          if (!seen.has(mutation.mutationId)) seen.set(mutation.mutationId, mutation);
        }
        rejected.push(...parsed.rejected);
        const empty = parsed.mutations.length + parsed.rejected.length === 0;
        if (empty || page >= parsed.lastPage) return result(page, false);
      }
      return result(maxPages, true);
    },
  };
}

function buildParams(query: MootaMutationQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.type) params.set('type', query.type);
  if (query.bankId) params.set('bank', query.bankId);
  for (const [name, value] of [
    ['start_date', query.startDate],
    ['end_date', query.endDate],
  ] as const) {
    if (value === undefined) continue;
    if (!DAY.test(value)) throw new CoreError('invalid_request', `${name} must be YYYY-MM-DD`);
    params.set(name, value);
  }
  params.set('per_page', String(query.perPage ?? 100));
  return params;
}

function parsePage(json: unknown) {
  try {
    return parseMootaMutationPage(json);
  } catch (error) {
    if (!isCoreError(error)) throw error;
    throw new CoreError('upstream_error', `Moota API answered unexpectedly: ${error.message}`, {
      retryable: false,
    });
  }
}

function throwForStatus(status: number): void {
  if (status >= 200 && status < 300) return;
  const details = { status };
  if (status === 401 || status === 403) {
    throw new CoreError('upstream_error', 'Moota API refused the token', { retryable: false, details });
  }
  if (status === 429 || status >= 500) {
    throw new CoreError('upstream_unavailable', `Moota API is unavailable (HTTP ${status})`, {
      retryable: true,
      details,
    });
  }
  throw new CoreError('upstream_error', `Moota API answered HTTP ${status}`, { retryable: false, details });
}
