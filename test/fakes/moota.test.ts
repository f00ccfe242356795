import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyMootaSignature } from '../../core/topups/moota/verify-signature.js';
import { type FakeMoota, startFakeMoota } from './moota.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/moota`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let moota: FakeMoota;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeEach(async () => {
  moota = await startFakeMoota({ webhookSecret: 's3cret', userId: 'U1', webhookId: 'W1' });
  receiver = await startReceiver();
});
afterEach(async () => {
  await moota.close();
  await receiver.close();
});

describe('fake Moota webhook sender', () => {
  it('posts a signed JSON array with number amounts and the real headers', async () => {
    const a = moota.addMutation({ amount: '3799460.89', description: 'TRF AIP-7KQ2M' });
    const delivery = await moota.deliver(receiver.url, [a]);
    expect(delivery.status).toBe(200);
    const got = receiver.received[0]!;
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('MootaBot/1.50');
    expect(got.headers['x-moota-user']).toBe('U1');
    expect(got.headers['x-moota-webhook']).toBe('W1');
    expect(got.headers.signature).toBe(createHmac('sha256', 's3cret').update(got.body).digest('hex'));
    expect(verifyMootaSignature(got.body, got.headers.signature as string, 's3cret')).toBe(true);
    expect(got.body.toString()).toContain('"amount":3799460.89');
    expect(JSON.parse(got.body.toString())).toEqual([
      expect.objectContaining({ mutation_id: a.mutation_id }),
    ]);
  });

  it('resends the exact same bytes and headers', async () => {
    const delivery = await moota.deliver(receiver.url, [moota.addMutation({ amount: 5000 })]);
    await moota.resend(delivery);
    const [first, second] = receiver.received;
    expect(second!.body.equals(first!.body)).toBe(true);
    expect(second!.headers.signature).toBe(first!.headers.signature);
  });

  it('sends concurrent duplicates, reorders a batch and signs with a wrong secret', async () => {
    const batch = [
      moota.addMutation({ amount: 1 }),
      moota.addMutation({ amount: 2 }),
      moota.addMutation({ amount: 3 }),
    ];
    const copies = await moota.deliverConcurrently(receiver.url, batch, 4);
    expect(copies.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(receiver.received.map((r) => r.body.toString())).size).toBe(1);

    await moota.deliver(receiver.url, batch, { order: [2, 0, 1] });
    const reordered = JSON.parse(receiver.received[4]!.body.toString()) as { amount: number }[];
    expect(reordered.map((m) => m.amount)).toEqual([3, 1, 2]);

    await moota.deliver(receiver.url, batch, { secret: 'not-the-secret' });
    const forged = receiver.received[5]!;
    expect(verifyMootaSignature(forged.body, forged.headers.signature as string, 's3cret')).toBe(false);

    await moota.deliver(receiver.url, batch, { signature: null });
    expect(receiver.received[6]!.headers.signature).toBeUndefined();
  });
});

describe('fake Moota REST API', () => {
  it('requires the Bearer token and returns Laravel pagination with string amounts', async () => {
    moota.addMutation({ amount: '100123.00' });
    const denied = await fetch(`${moota.url}/api/v2/mutation`);
    expect(denied.status).toBe(401);
    const ok = await fetch(`${moota.url}/api/v2/mutation?per_page=1`, {
      headers: { authorization: `Bearer ${moota.token}` },
    });
    const page = (await ok.json()) as Record<string, unknown> & { data: { amount: unknown }[] };
    expect(page).toMatchObject({ current_page: 1, last_page: 1, per_page: 1, total: 1, next_page_url: null });
    expect(page.data[0]!.amount).toBe('100123.00');
  });
});
