import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Moota (https://app.moota.co) speaking its wire format:
 * - REST `GET /api/v2/mutation` with Bearer auth, the documented filters and Laravel pagination,
 *   amounts as strings ("100123.00") as in the REST examples;
 * - a webhook sender that POSTs a JSON array of mutations (amounts as JSON numbers, as in the webhook
 *   examples) with Moota's headers and `Signature` = lowercase hex HMAC-SHA256 of the exact raw bytes.
 */

/** A mutation as the REST API returns it. */
export interface FakeMootaMutation {
  mutation_id: string;
  token: string;
  bank_id: string;
  account_number: string;
  date: string;
  description: string;
  note: string;
  amount: string;
  type: 'CR' | 'DB';
  balance: string;
  created_at: string;
  updated_at: string;
  taggings: unknown[];
  bank: FakeMootaBank;
}

export interface FakeMootaBank {
  bank_id: string;
  bank_type: string;
  account_number: string;
  atas_nama: string;
  label: string;
  balance: string;
  interval_refresh: number;
  is_active: boolean;
  last_update: string;
}

export interface NewFakeMutation {
  /** Rupiah; a string is kept verbatim, a number is written with two decimals when whole. */
  amount: string | number;
  type?: 'CR' | 'DB';
  description?: string;
  note?: string;
  /** `YYYY-MM-DD HH:MM:SS`; defaults to a fixed date so tests stay deterministic. */
  date?: string;
  mutationId?: string;
  bankId?: string;
  accountNumber?: string;
  balance?: string;
}

export interface FakeMootaOptions {
  /** The personal access token the REST API accepts. */
  token?: string;
  /** The webhook `secret_token` deliveries are signed with. */
  webhookSecret?: string;
  userId?: string;
  webhookId?: string;
}

export interface DeliverOptions {
  /** Sign with this secret instead of the configured one (e.g. a wrong secret). */
  secret?: string;
  /** Send this literal `Signature` header value; `null` omits the header. */
  signature?: string | null;
  /** Send the items in this order: 'reverse', or a permutation of their indexes. */
  order?: 'reverse' | readonly number[];
  /** Send these exact bytes instead of the serialized mutations (malformed bodies). */
  rawBody?: Buffer | string;
}

export interface Delivery {
  url: string;
  rawBody: Buffer;
  headers: Record<string, string>;
  status: number;
  responseText: string;
}

export interface FaultSpec {
  status: number;
  body?: unknown;
  /** How many requests in a row get this answer (default 1). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface FakeMoota {
  url: string;
  token: string;
  webhookSecret: string;
  /** Every REST request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
  addMutation(input: NewFakeMutation): FakeMootaMutation;
  mutations(): FakeMootaMutation[];
  /** The next REST requests get this status and body instead of the real answer. */
  failNext(fault: FaultSpec): void;
  /** POSTs the mutations, as a webhook would, to `url`. */
  deliver(url: string, mutations: readonly FakeMootaMutation[], opts?: DeliverOptions): Promise<Delivery>;
  /** Sends a previous delivery again, byte for byte (Moota retries after failures). */
  resend(delivery: Delivery): Promise<Delivery>;
  /** Sends the same delivery `copies` times at once. */
  deliverConcurrently(
    url: string,
    mutations: readonly FakeMootaMutation[],
    copies: number,
    opts?: DeliverOptions,
  ): Promise<Delivery[]>;
}

const DEFAULT_DATE = '2026-11-22 09:00:00';
const MAX_PER_PAGE = 100;

/** The webhook form of a mutation: identical fields, but amount and balance as JSON numbers. */
export function toWebhookItem(mutation: FakeMootaMutation): Record<string, unknown> {
  return {
    ...mutation,
    amount: Number(mutation.amount),
    balance: Number(mutation.balance),
    bank: { ...mutation.bank, balance: Number(mutation.bank.balance) },
  };
}

export async function startFakeMoota(options: FakeMootaOptions = {}): Promise<FakeMoota> {
  const token = options.token ?? 'moota-test-token';
  const webhookSecret = options.webhookSecret ?? 'moota-webhook-secret';
  const userId = options.userId ?? 'USR123';
  const webhookId = options.webhookId ?? 'WHK456';
  const store: FakeMootaMutation[] = [];
  const faults: FaultSpec[] = [];
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => handleRest(req, res));
  });

  function handleRest(req: IncomingMessage, res: ServerResponse): void {
    const fault = faults[0];
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.shift();
      sendJson(res, fault.status, fault.body ?? { message: 'Server Error' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://fake-moota');
    if (req.method !== 'GET' || url.pathname !== '/api/v2/mutation') {
      sendJson(res, 404, { message: 'Not Found' });
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      sendJson(res, 401, { message: 'Unauthenticated.' });
      return;
    }
    sendJson(res, 200, paginate(filterMutations(store, url.searchParams), url, address()));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function post(url: string, rawBody: Buffer, headers: Record<string, string>): Promise<Delivery> {
    const response = await fetch(url, { method: 'POST', headers, body: rawBody });
    return { url, rawBody, headers, status: response.status, responseText: await response.text() };
  }

  function prepare(mutations: readonly FakeMootaMutation[], opts: DeliverOptions) {
    const items = reorder(mutations.map(toWebhookItem), opts.order);
    const rawBody =
      opts.rawBody === undefined
        ? Buffer.from(JSON.stringify(items))
        : Buffer.from(opts.rawBody as Buffer | string);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': 'MootaBot/1.50',
      'X-MOOTA-USER': userId,
      'X-MOOTA-WEBHOOK': webhookId,
    };
    const signature =
      opts.signature === undefined
        ? createHmac('sha256', opts.secret ?? webhookSecret)
            .update(rawBody)
            .digest('hex')
        : opts.signature;
    if (signature !== null) headers['Signature'] = signature;
    return { rawBody, headers };
  }

  return {
    url: address(),
    token,
    webhookSecret,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    addMutation(input) {
      const mutation = buildMutation(input, store.length);
      store.push(mutation);
      return mutation;
    },
    mutations: () => [...store],
    failNext(fault) {
      faults.push({ ...fault });
    },
    deliver(url, mutations, opts = {}) {
      const { rawBody, headers } = prepare(mutations, opts);
      return post(url, rawBody, headers);
    },
    resend(delivery) {
      return post(delivery.url, delivery.rawBody, delivery.headers);
    },
    deliverConcurrently(url, mutations, copies, opts = {}) {
      const { rawBody, headers } = prepare(mutations, opts);
      return Promise.all(Array.from({ length: copies }, () => post(url, rawBody, headers)));
    },
  };
}

function buildMutation(input: NewFakeMutation, sequence: number): FakeMootaMutation {
  const bankId = input.bankId ?? 'VLagzqBj42D';
  const accountNumber = input.accountNumber ?? '1234567890';
  const date = input.date ?? DEFAULT_DATE;
  const mutationId = input.mutationId ?? `${randomBytes(6).toString('hex')}${sequence}`;
  const balance = input.balance ?? '10000000.00';
  return {
    mutation_id: mutationId,
    token: mutationId,
    bank_id: bankId,
    account_number: accountNumber,
    date,
    description: input.description ?? '',
    note: input.note ?? '',
    amount: formatRupiah(input.amount),
    type: input.type ?? 'CR',
    balance,
    created_at: date,
    updated_at: date,
    taggings: [],
    bank: {
      bank_id: bankId,
      bank_type: 'bca',
      account_number: accountNumber,
      atas_nama: 'PT AIPORT INDONESIA',
      label: 'BCA',
      balance,
      interval_refresh: 15,
      is_active: true,
      last_update: date,
    },
  };
}

function formatRupiah(amount: string | number): string {
  if (typeof amount === 'string') return amount;
  return Number.isInteger(amount) ? `${amount}.00` : String(amount);
}

function filterMutations(all: readonly FakeMootaMutation[], query: URLSearchParams): FakeMootaMutation[] {
  const type = query.get('type');
  const bank = query.get('bank');
  const amount = query.get('amount');
  const description = query.get('description')?.toLowerCase();
  const note = query.get('note')?.toLowerCase();
  const date = query.get('date');
  const start = query.get('start_date');
  const end = query.get('end_date');
  const matching = all.filter((m) => {
    const day = m.date.slice(0, 10);
    return (
      (!type || m.type === type) &&
      (!bank || m.bank_id === bank) &&
      (!amount || Number(m.amount) === Number(amount)) &&
      (!description || m.description.toLowerCase().includes(description)) &&
      (!note || m.note.toLowerCase().includes(note)) &&
      (!date || day === date) &&
      (!start || day >= start) &&
      (!end || day <= end)
    );
  });
  // Newest first, as the dashboard lists them; insertion order breaks ties.
  return matching
    .map((mutation, index) => ({ mutation, index }))
    .sort((a, b) => b.mutation.date.localeCompare(a.mutation.date) || b.index - a.index)
    .map(({ mutation }) => mutation);
}

function paginate(items: readonly FakeMootaMutation[], url: URL, origin: string) {
  const perPage = clamp(Number(url.searchParams.get('per_page') ?? 20), 1, MAX_PER_PAGE);
  const page = Math.max(1, Math.trunc(Number(url.searchParams.get('page') ?? 1)) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const path = `${origin}/api/v2/mutation`;
  const pageUrl = (n: number) => {
    const params = new URLSearchParams(url.searchParams);
    params.set('page', String(n));
    return `${path}?${params}`;
  };
  return {
    current_page: page,
    data: slice,
    first_page_url: pageUrl(1),
    from: slice.length > 0 ? (page - 1) * perPage + 1 : null,
    last_page: lastPage,
    last_page_url: pageUrl(lastPage),
    links: [
      { url: page > 1 ? pageUrl(page - 1) : null, label: '&laquo; Previous', active: false },
      ...Array.from({ length: lastPage }, (_, i) => ({
        url: pageUrl(i + 1),
        label: String(i + 1),
        active: i + 1 === page,
      })),
      { url: page < lastPage ? pageUrl(page + 1) : null, label: 'Next &raquo;', active: false },
    ],
    next_page_url: page < lastPage ? pageUrl(page + 1) : null,
    path,
    per_page: perPage,
    prev_page_url: page > 1 ? pageUrl(page - 1) : null,
    to: slice.length > 0 ? (page - 1) * perPage + slice.length : null,
    total: items.length,
  };
}

function reorder<T>(items: T[], order: DeliverOptions['order']): T[] {
  if (order === undefined) return items;
  if (order === 'reverse') return [...items].reverse();
  if (order.length !== items.length || new Set(order).size !== items.length) {
    throw new Error('order must be a permutation of the item indexes');
  }
  return order.map((index) => {
    const item = items[index];
    if (item === undefined) throw new Error(`order names a missing index ${index}`);
    return item;
  });
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}
