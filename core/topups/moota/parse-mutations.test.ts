import { describe, expect, it } from 'vitest';
import { CoreError } from '../../errors.js';
import {
  parseMootaMutationPage,
  parseMootaWebhookBody,
  parseMootaWebhookPayload,
} from './parse-mutations.js';

const bank = {
  bank_id: 'VLagzqBj42D',
  bank_type: 'bca',
  account_number: '1234567890',
  atas_nama: 'PT AIPORT',
  label: 'BCA',
  balance: '5000000.00',
  is_active: true,
};

const webhookItem = {
  mutation_id: 'mut-1',
  token: 'mut-1',
  bank_id: 'VLagzqBj42D',
  account_number: '1234567890',
  date: '2026-11-22 10:15:00',
  description: 'TRSF E-BANKING CR 2211/FTSCY AIP7KQ2M BUDI',
  note: '',
  amount: 3799460.89,
  type: 'CR',
  balance: 8799460.89,
  bank,
};

describe('parseMootaWebhookBody', () => {
  it('normalizes a webhook array with number amounts', () => {
    const raw = Buffer.from(
      JSON.stringify([webhookItem, { ...webhookItem, mutation_id: 'mut-2', amount: 5000 }]),
    );
    const { mutations, rejected } = parseMootaWebhookBody(raw);
    expect(rejected).toEqual([]);
    expect(mutations).toHaveLength(2);
    expect(mutations[0]).toEqual({
      mutationId: 'mut-1',
      bankId: 'VLagzqBj42D',
      accountNumber: '1234567890',
      type: 'CR',
      amountMrp: 3_799_460_890n,
      balanceMrp: 8_799_460_890n,
      description: 'TRSF E-BANKING CR 2211/FTSCY AIP7KQ2M BUDI',
      note: '',
      date: '2026-11-22 10:15:00',
      raw: webhookItem,
    });
    expect(mutations[1]?.amountMrp).toBe(5_000_000n);
  });

  it('falls back to token for the id and to the nested bank for the account number', () => {
    const { mutation_id: _id, account_number: _acct, ...rest } = webhookItem;
    const { mutations } = parseMootaWebhookPayload([
      { ...rest, token: 'tok-9', note: null, description: null },
    ]);
    expect(mutations[0]).toMatchObject({
      mutationId: 'tok-9',
      accountNumber: '1234567890',
      note: '',
      description: '',
    });
  });

  it('accepts lowercase type and numeric ids', () => {
    const { mutations } = parseMootaWebhookPayload([
      { ...webhookItem, type: 'cr', mutation_id: 42, bank_id: 7 },
    ]);
    expect(mutations[0]).toMatchObject({ type: 'CR', mutationId: '42', bankId: '7' });
  });

  it('rejects bad items with a reason and keeps the good ones', () => {
    const { mutations, rejected } = parseMootaWebhookPayload([
      { ...webhookItem, mutation_id: 'neg', amount: -5 },
      webhookItem,
      { ...webhookItem, mutation_id: 'nan', amount: 'abc' },
      { ...webhookItem, mutation_id: 'fine', amount: '12.3456' },
      { ...webhookItem, mutation_id: 'kind', type: 'XX' },
      { ...webhookItem, mutation_id: undefined, token: undefined },
      'not an object',
    ]);
    expect(mutations.map((m) => m.mutationId)).toEqual(['mut-1']);
    expect(rejected).toEqual([
      { index: 0, mutationId: 'neg', reason: expect.stringMatching(/negative/) },
      { index: 2, mutationId: 'nan', reason: expect.stringMatching(/not a decimal/) },
      { index: 3, mutationId: 'fine', reason: expect.stringMatching(/more than 3 decimals/) },
      { index: 4, mutationId: 'kind', reason: expect.stringMatching(/^type:/) },
      { index: 5, mutationId: null, reason: 'mutation_id (or token) is missing' },
      { index: 6, mutationId: null, reason: expect.any(String) },
    ]);
  });

  it('keeps a mutation whose balance is unreadable, without a balance', () => {
    const { mutations } = parseMootaWebhookPayload([{ ...webhookItem, balance: 'n/a' }]);
    expect(mutations[0]?.balanceMrp).toBeNull();
  });

  it('refuses a body that is not JSON, or not an array', () => {
    for (const body of ['{not json', '{"data":[]}', 'null', '']) {
      let caught: unknown;
      try {
        parseMootaWebhookBody(Buffer.from(body));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CoreError);
      expect((caught as CoreError).code).toBe('invalid_request');
      expect((caught as CoreError).message).toMatch(/Moota webhook body/);
    }
  });

  it('accepts an empty array', () => {
    expect(parseMootaWebhookBody('[]')).toEqual({ mutations: [], rejected: [] });
  });
});

describe('parseMootaMutationPage', () => {
  it('reads a Laravel page with string amounts', () => {
    const page = {
      current_page: 2,
      data: [{ ...webhookItem, amount: '100123.00', balance: '5100123.00' }],
      first_page_url: 'https://app.moota.co/api/v2/mutation?page=1',
      from: 21,
      last_page: 3,
      next_page_url: 'https://app.moota.co/api/v2/mutation?page=3',
      per_page: 20,
      total: 41,
    };
    const parsed = parseMootaMutationPage(page);
    expect(parsed.currentPage).toBe(2);
    expect(parsed.lastPage).toBe(3);
    expect(parsed.mutations[0]?.amountMrp).toBe(100_123_000n);
    expect(parsed.mutations[0]?.balanceMrp).toBe(5_100_123_000n);
  });

  it('refuses something that is not a page', () => {
    expect(() => parseMootaMutationPage([webhookItem])).toThrow(CoreError);
    expect(() => parseMootaMutationPage({ data: 'x', current_page: 1, last_page: 1 })).toThrow(/data/);
  });
});
