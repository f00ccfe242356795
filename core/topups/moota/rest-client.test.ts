import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeMoota, startFakeMoota } from '../../../test/fakes/moota.js';
import { CoreError } from '../../errors.js';
import { createMootaRestClient } from './rest-client.js';

let moota: FakeMoota;

beforeEach(async () => {
  moota = await startFakeMoota({ token: 'tok-abc' });
});
afterEach(async () => {
  await moota.close();
});

async function caught(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a CoreError');
}

describe('createMootaRestClient', () => {
  it('sends the token and query, and follows every page', async () => {
    for (let i = 0; i < 7; i += 1) {
      moota.addMutation({ amount: `${100_000 + i}.00`, description: `TRF ${i}`, mutationId: `m${i}` });
    }
    moota.addMutation({ amount: '5000.00', type: 'DB', mutationId: 'debit' });
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc' });

    const list = await client.listMutations({ type: 'CR', perPage: 3, startDate: '2026-11-01' });

    expect(list.mutations.map((m) => m.mutationId).sort()).toEqual([
      'm0',
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
    ]);
    expect(list.mutations.find((m) => m.mutationId === 'm3')?.amountMrp).toBe(100_003_000n);
    expect(list).toMatchObject({ rejected: [], pagesRead: 3, truncated: false });
    expect(moota.requests).toHaveLength(3);
    const first = moota.requests[0]!;
    expect(first.headers.authorization).toBe('Bearer tok-abc');
    expect(first.headers.accept).toBe('application/json');
    const query = new URL(first.url, moota.url).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      type: 'CR',
      start_date: '2026-11-01',
      per_page: '3',
      page: '1',
    });
  });

  it('does not repeat a mutation when a new one shifts the pages mid-listing', async () => {
    for (let i = 0; i < 4; i += 1)
      moota.addMutation({ amount: 1000, mutationId: `m${i}`, date: `2026-11-22 0${i}:00:00` });
    let calls = 0;
    const client = createMootaRestClient({
      baseUrl: moota.url,
      token: 'tok-abc',
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        calls += 1;
        if (calls === 1)
          moota.addMutation({ amount: 2000, mutationId: 'newest', date: '2026-11-22 09:00:00' });
        return response;
      },
    });
    const list = await client.listMutations({ perPage: 2 });
    const ids = list.mutations.map((m) => m.mutationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['m0', 'm1', 'm2', 'm3']));
  });

  it('filters by date range on the fake as Moota does', async () => {
    moota.addMutation({ amount: 1, date: '2026-11-20 10:00:00', mutationId: 'old' });
    moota.addMutation({ amount: 2, date: '2026-11-22 10:00:00', mutationId: 'new' });
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc' });
    const list = await client.listMutations({ startDate: '2026-11-21', endDate: '2026-11-22' });
    expect(list.mutations.map((m) => m.mutationId)).toEqual(['new']);
  });

  it('reports an empty account as one page and nothing else', async () => {
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc' });
    expect(await client.listMutations()).toEqual({
      mutations: [],
      rejected: [],
      pagesRead: 1,
      truncated: false,
    });
  });

  it('stops at maxPages and says so', async () => {
    for (let i = 0; i < 5; i += 1) moota.addMutation({ amount: 1000, mutationId: `m${i}` });
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc', maxPages: 2 });
    const list = await client.listMutations({ perPage: 2 });
    expect(list).toMatchObject({ pagesRead: 2, truncated: true });
    expect(list.mutations).toHaveLength(4);
  });

  it('maps 401 to a non-retryable upstream_error without leaking the token', async () => {
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'wrong-token' });
    const error = await caught(client.listMutations());
    expect(error.code).toBe('upstream_error');
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('wrong-token');
  });

  it('maps 5xx and 429 to retryable upstream_unavailable', async () => {
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc' });
    moota.failNext({ status: 503 });
    const error = await caught(client.listMutations());
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true, details: { status: 503 } });
    moota.failNext({ status: 429, body: { message: 'Too Many Attempts.' } });
    expect((await caught(client.listMutations())).code).toBe('upstream_unavailable');
  });

  it('maps a network failure to retryable upstream_unavailable', async () => {
    const url = moota.url;
    await moota.close();
    moota = await startFakeMoota();
    const client = createMootaRestClient({ baseUrl: url, token: 'tok-abc' });
    const error = await caught(client.listMutations());
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
  });

  it('refuses an answer that is not a page', async () => {
    moota.failNext({ status: 200, body: { hello: 'world' } });
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc' });
    expect((await caught(client.listMutations())).code).toBe('upstream_error');
  });

  it('fails closed without a token, before any request', async () => {
    const client = createMootaRestClient({ baseUrl: moota.url, token: '' });
    expect((await caught(client.listMutations())).code).toBe('upstream_error');
    expect(moota.requests).toHaveLength(0);
  });

  it('refuses malformed dates', async () => {
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc' });
    await expect(client.listMutations({ startDate: '22/11/2026' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('returns items it cannot use as rejected, with the others', async () => {
    moota.addMutation({ amount: '12.3456', mutationId: 'bad' });
    moota.addMutation({ amount: '12.34', mutationId: 'good' });
    const client = createMootaRestClient({ baseUrl: moota.url, token: 'tok-abc' });
    const list = await client.listMutations();
    expect(list.mutations.map((m) => m.mutationId)).toEqual(['good']);
    expect(list.rejected).toEqual([
      { index: 1, mutationId: 'bad', reason: expect.stringMatching(/decimals/) },
    ]);
  });
});
