import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBalance } from '../../bots/shared/rupiah.js';
import {
  type BotsHarness,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  telegramTextUpdate,
} from './bots-harness.js';

let h: BotsHarness;

beforeAll(async () => {
  h = await startBotsHarness();
});
afterAll(() => h.close());

const budi = { id: newTelegramId(), first_name: 'Budi', language_code: 'id' };
const sari = { id: newTelegramId(), first_name: 'Sari', language_code: 'en' };

async function accountOf(telegramId: number) {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = 'telegram' AND external_id = ${String(telegramId)}`;
  return row!.account_id;
}

function texts(chatId: number): string[] {
  return h.telegram.transcript(chatId).messages.map((m) => m.text);
}

describe('Telegram chat turns', () => {
  it('streams a private answer with drafts, finishes it with sendMessage and charges from the job row', async () => {
    expect(await deliverTelegram(h, telegramTextUpdate(budi, budi.id, 'Apa kabar hari ini?'))).toBe(200);
    const chat = h.telegram.transcript(budi.id);
    expect(chat.drafts.length).toBeGreaterThan(0);
    expect(texts(budi.id)).toEqual(['Echo: Apa kabar hari ini?']);
    const accountId = await accountOf(budi.id);
    const [job] = await h.app.database.sql<{ channel: string; cost_mrp: bigint; status: string }[]>`
      SELECT channel, cost_mrp, status FROM jobs WHERE account_id = ${accountId}`;
    expect(job).toMatchObject({ channel: 'telegram', status: 'succeeded' });
    const balance = await h.app.container.core.ledger.balance(accountId);
    expect(balance.balanceMrp).toBe(5_000_000n - job!.cost_mrp);
    expect(await h.app.container.core.ledger.verify(accountId)).toEqual([]);
  });

  it('keeps the conversation as context for the next message, until /new', async () => {
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, 'Kedua'));
    const last = h.openai.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    expect(last.messages.filter((m) => m.role === 'user')).toHaveLength(2);
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, '/new'));
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, 'Ketiga'));
    const after = h.openai.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(after.messages.filter((m) => m.role === 'user')).toHaveLength(1);
  });

  it('splits a 9,000-character answer into parts under 4096 characters', async () => {
    const paragraph = `${'Kalimat panjang tentang banyak hal. '.repeat(40).trim()}\n\n`;
    const long = paragraph.repeat(Math.ceil(9000 / paragraph.length)).slice(0, 9000);
    h.openai.enqueue({ reply: { text: long } });
    const chatId = newTelegramId();
    await deliverTelegram(
      h,
      telegramTextUpdate({ id: chatId, first_name: 'Panjang' }, chatId, 'Tulis panjang'),
    );
    const parts = texts(chatId);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join('').replace(/\s/g, '')).toBe(long.replace(/\s/g, ''));
  });

  it('ignores group messages without a mention and answers a mention with edits of one message', async () => {
    const group = -newTelegramId();
    await deliverTelegram(h, telegramTextUpdate(budi, group, 'ngobrol biasa tanpa bot'));
    expect(h.telegram.transcript(group).messages).toHaveLength(0);
    await deliverTelegram(h, telegramTextUpdate(budi, group, '@aiport_test_bot siapa kamu?'));
    const [answer, ...rest] = h.telegram.transcript(group).messages;
    expect(rest).toHaveLength(0);
    expect(answer!.text).toBe('Echo: siapa kamu?');
    expect(h.telegram.transcript(group).drafts).toHaveLength(0);
  });

  it('processes the same update once when Telegram delivers it twice', async () => {
    const chatId = newTelegramId();
    const update = telegramTextUpdate({ id: chatId, first_name: 'Dua' }, chatId, 'sekali saja');
    await deliverTelegram(h, update);
    await deliverTelegram(h, update);
    expect(texts(chatId)).toEqual(['Echo: sekali saja']);
  });

  it('refuses a forged webhook request with 401 and processes nothing', async () => {
    const chatId = newTelegramId();
    const update = telegramTextUpdate({ id: chatId, first_name: 'Palsu' }, chatId, 'halo');
    expect(await deliverTelegram(h, update, 'wrong-secret')).toBe(401);
    expect(await deliverTelegram(h, update, null)).toBe(401);
    expect(h.telegram.transcript(chatId).messages).toHaveLength(0);
    const [identity] = await h.app.database.sql`
      SELECT 1 FROM identities WHERE platform = 'telegram' AND external_id = ${String(chatId)}`;
    expect(identity).toBeUndefined();
  });

  it('tells a person without balance how much is needed and how to top up, and charges nothing', async () => {
    const chatId = newTelegramId();
    await deliverTelegram(h, telegramTextUpdate({ id: chatId, first_name: 'Kosong' }, chatId, '/balance'));
    const accountId = await accountOf(chatId);
    await h.app.container.core.ledger.debit('adjustment', {
      accountId,
      amountMrp: 5_000_000n,
      idempotencyKey: `test-empty-${chatId}`,
    });
    const upstreamCalls = h.openai.requests.length;
    await deliverTelegram(h, telegramTextUpdate({ id: chatId, first_name: 'Kosong' }, chatId, 'halo'));
    const last = texts(chatId).at(-1)!;
    expect(last).toMatch(/Saldo tidak cukup/i);
    expect(last).toContain('/topup');
    expect(h.openai.requests.length).toBe(upstreamCalls);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(0n);
  });
});

describe('Telegram commands', () => {
  it('shows the balance from the ledger and usage from the job rows, in the user language', async () => {
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, 'Hello there'));
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, '/balance'));
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, '/usage'));
    const [, balance, usage] = texts(sari.id);
    const accountId = await accountOf(sari.id);
    const { availableMrp } = await h.app.container.core.ledger.balance(accountId);
    expect(balance).toContain('Your balance');
    expect(balance).toContain(`${formatBalance(availableMrp, 'en')}.`);
    expect(usage).toContain('gpt-4o-mini');
  });

  it('offers the model menu as buttons and switches model on a press', async () => {
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, '/model'));
    const menuCall = h.telegram.callsOf('sendMessage').at(-1)!;
    const keyboard = menuCall.params['reply_markup'] as { inline_keyboard: { callback_data: string }[][] };
    expect(keyboard.inline_keyboard.flat().map((b) => b.callback_data)).toContain(
      `model:${sari.id}:gpt-4o-mini`,
    );
    // Each model shows what a typical message costs on it.
    expect(JSON.stringify(keyboard)).toMatch(/GPT-4o mini · ~(< )?Rp \d+\/message/);
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, '/model nonexistent'));
    expect(texts(sari.id).at(-1)).toBe('Unknown model "nonexistent". See the list with /model.');
  });

  it('answers unknown commands with help, and switches language', async () => {
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, '/bogus'));
    expect(texts(budi.id).at(-1)).toContain('/help');
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, '/lang en'));
    expect(texts(budi.id).at(-1)).toBe('Language changed to English.');
  });

  it('refuses a link code entered by another Telegram account, and keeps both accounts apart', async () => {
    const a = { id: newTelegramId(), first_name: 'Ani' };
    const b = { id: newTelegramId(), first_name: 'Bayu' };
    await deliverTelegram(h, telegramTextUpdate(a, a.id, '/link'));
    const code = /: ([A-Z0-9]{8})/.exec(texts(a.id).at(-1)!)![1]!;
    await deliverTelegram(h, telegramTextUpdate(b, b.id, `/link ${code}`));
    expect(texts(b.id).at(-1)).toMatch(/platform yang sama/);
    expect(await accountOf(a.id)).not.toBe(await accountOf(b.id));
    expect((await h.app.container.core.ledger.balance(await accountOf(b.id))).balanceMrp).toBe(5_000_000n);
  });
});

describe('Telegram top-ups', () => {
  it('/topup 50000 shows the transfer amount, code, bank account and expiry, with the chat as reply target', async () => {
    const user = { id: newTelegramId(), first_name: 'Isi' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/topup 50000'));
    const reply = texts(user.id).at(-1)!;
    expect(reply).toMatch(/Transfer tepat Rp 50\.\d{3}/);
    expect(reply).toContain('Bank BCA, no. rekening 1234567890, a.n. PT AIport Indonesia');
    const code = /Tulis kode (\S+) di berita\/keterangan transfer/.exec(reply)?.[1];
    const [request] = await h.app.database.sql<{ code: string; reply_to: Record<string, string> }[]>`
      SELECT code, reply_to FROM topup_requests WHERE account_id = ${await accountOf(user.id)}`;
    expect(request!.code).toBe(code);
    expect(request!.reply_to).toMatchObject({ platform: 'telegram', chatId: String(user.id) });
  });

  it('refuses a missing, negative, decimal or absurd amount with a clear reply and no request', async () => {
    const user = { id: newTelegramId(), first_name: 'Salah' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/topup'));
    expect(texts(user.id).at(-1)).toMatch(/Sebutkan jumlahnya/);
    const offer = h.telegram.callsOf('sendMessage').at(-1)!.params['reply_markup'] as {
      inline_keyboard: { callback_data: string }[][];
    };
    expect(offer.inline_keyboard.flat()[0]!.callback_data).toMatch(new RegExp(`^stars:${user.id}:\\d+$`));
    for (const bad of ['-5000', '50000.5', '999999999999', 'banyak']) {
      await deliverTelegram(h, telegramTextUpdate(user, user.id, `/topup ${bad}`));
      expect(texts(user.id).at(-1)).toMatch(/Jumlah tidak valid/);
    }
    const [row] = await h.app.database.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM topup_requests WHERE account_id = ${await accountOf(user.id)}`;
    expect(row!.n).toBe(0);
  });

  it('redeems a voucher once', async () => {
    const user = { id: newTelegramId(), first_name: 'Voucher' };
    const voucher = await h.app.container.core.topups.createVoucher({
      code: `PROMO-${user.id}`,
      amountMrp: 20_000_000n,
      maxUses: 5,
      expiresAt: null,
      adminId: 'test',
    });
    await deliverTelegram(h, telegramTextUpdate(user, user.id, `/redeem ${voucher.code.toLowerCase()}`));
    expect(texts(user.id).at(-1)).toMatch(/Voucher berhasil: Rp 20\.000/);
    await deliverTelegram(h, telegramTextUpdate(user, user.id, `/redeem ${voucher.code}`));
    expect(texts(user.id).at(-1)).toMatch(/sudah pernah dipakai/);
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/redeem NOPE-0000'));
    expect(texts(user.id).at(-1)).toMatch(/tidak ditemukan/);
  });

  it('sells Stars: invoice, pre-checkout check, and one credit per charge id', async () => {
    const user = { id: newTelegramId(), first_name: 'Bintang' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/balance'));
    await deliverTelegram(h, {
      update_id: Number(`9${user.id}`.slice(0, 15)),
      callback_query: {
        id: `cb-${user.id}`,
        from: { id: user.id, is_bot: false, first_name: user.first_name },
        chat_instance: 'x',
        data: `stars:${user.id}:100`,
        message: { message_id: 1, date: 0, chat: { id: user.id, type: 'private' } },
      },
    });
    expect(h.telegram.transcript(user.id).messages.at(-1)!.kind).toBe('invoice');
    await deliverTelegram(h, {
      update_id: Number(`8${user.id}`.slice(0, 15)),
      pre_checkout_query: {
        id: `pcq-${user.id}`,
        from: { id: user.id, is_bot: false, first_name: user.first_name },
        currency: 'XTR',
        total_amount: 100,
        invoice_payload: 'stars:100',
      },
    });
    const answer = h.telegram.callsOf('answerPreCheckoutQuery').at(-1)!;
    expect(answer.params['ok']).toBe(true);
    const paid = telegramTextUpdate(user, user.id, '');
    const message = paid['message'] as Record<string, unknown>;
    delete message['text'];
    message['successful_payment'] = {
      currency: 'XTR',
      total_amount: 100,
      invoice_payload: 'stars:100',
      telegram_payment_charge_id: `charge-${user.id}`,
      provider_payment_charge_id: '',
    };
    await deliverTelegram(h, paid);
    await deliverTelegram(h, { ...paid, update_id: (paid['update_id'] as number) + 1_000_000 });
    const accountId = await accountOf(user.id);
    expect((await h.app.container.core.ledger.balance(accountId)).balanceMrp).toBe(5_000_000n + 25_000_000n);
    const confirmations = h.telegram
      .transcript(user.id)
      .messages.filter((m) => m.kind === 'text' && /Rp 25\.000/.test(m.text));
    expect(confirmations).toHaveLength(2);
  });
});

describe('Telegram guards', () => {
  it('refuses a suspended account politely, without calling the model', async () => {
    const user = { id: newTelegramId(), first_name: 'Ditangguhkan' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/balance'));
    await h.app.database.sql`UPDATE accounts SET status = 'suspended' WHERE id = ${await accountOf(user.id)}`;
    const before = h.openai.requests.length;
    await deliverTelegram(h, telegramTextUpdate(user, user.id, 'halo'));
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/topup 50000'));
    expect(texts(user.id).slice(-2)).toEqual([
      expect.stringMatching(/ditangguhkan/i),
      expect.stringMatching(/ditangguhkan/i),
    ]);
    expect(h.openai.requests.length).toBe(before);
  });

  it('limits how many messages one person sends per minute', async () => {
    const user = { id: newTelegramId(), first_name: 'Banyak' };
    for (let i = 0; i < 21; i++) await deliverTelegram(h, telegramTextUpdate(user, user.id, `pesan ${i}`));
    expect(texts(user.id).at(-1)).toMatch(/Terlalu banyak permintaan. Coba lagi dalam \d+ detik/);
    expect(texts(user.id).filter((t) => t.startsWith('Echo:'))).toHaveLength(20);
  });
});

describe('Telegram privacy commands', () => {
  it('/export sends the data as a JSON file', async () => {
    const user = { id: newTelegramId(), first_name: 'Ekspor' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/export'));
    const document = h.telegram.transcript(user.id).messages.at(-1)!;
    expect(document.kind).toBe('document');
    expect(document.text).toMatch(/dikirim sebagai berkas/);
    const file = document.file as { filename: string; bytes: Buffer };
    expect(file.filename).toBe('aiport-data.json');
    expect(JSON.parse(file.bytes.toString('utf8'))).toBeTypeOf('object');
  });

  it('/delete asks with buttons; cancel keeps the account, confirm erases it', async () => {
    const user = { id: newTelegramId(), first_name: 'Hapus' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/delete'));
    const ask = h.telegram.callsOf('sendMessage').at(-1)!;
    const buttons = (
      ask.params['reply_markup'] as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .map((b) => b.callback_data);
    expect(buttons).toEqual([`delete:${user.id}:yes`, `delete:${user.id}:no`]);
    const accountId = await accountOf(user.id);
    const press = (data: string, n: number) =>
      deliverTelegram(h, {
        update_id: Number(`${n}${user.id}`.slice(0, 15)),
        callback_query: {
          id: `cb-${data}-${user.id}`,
          from: { id: user.id, is_bot: false, first_name: user.first_name },
          chat_instance: 'x',
          data,
          message: { message_id: 1, date: 0, chat: { id: user.id, type: 'private' } },
        },
      });
    await press(`delete:${user.id}:no`, 5);
    expect(texts(user.id).at(-1)).toBe('Penghapusan dibatalkan.');
    await press(`delete:${user.id}:yes`, 6);
    expect(texts(user.id).at(-1)).toMatch(/sudah dihapus/);
    const [account] = await h.app.database.sql<
      { status: string }[]
    >`SELECT status FROM accounts WHERE id = ${accountId}`;
    expect(account!.status).not.toBe('active');
  });
});

describe('Telegram zero retention', () => {
  it('keeps the running context only in Redis: nothing in conversation_messages, context still works', async () => {
    const user = { id: newTelegramId(), first_name: 'Rahasia' };
    await deliverTelegram(h, telegramTextUpdate(user, user.id, '/balance'));
    const accountId = await accountOf(user.id);
    await h.app.database.sql`UPDATE accounts SET zero_retention = true WHERE id = ${accountId}`;
    await deliverTelegram(h, telegramTextUpdate(user, user.id, 'rahasia satu'));
    await deliverTelegram(h, telegramTextUpdate(user, user.id, 'rahasia dua'));
    expect(texts(user.id).slice(-2)).toEqual(['Echo: rahasia satu', 'Echo: rahasia dua']);
    const last = h.openai.requests.at(-1)!.body as { messages: { role: string }[] };
    expect(last.messages.filter((m) => m.role === 'user')).toHaveLength(2);
    const [row] = await h.app.database.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM conversation_messages WHERE account_id = ${accountId}`;
    expect(row!.n).toBe(0);
  });
});

describe('Telegram photos', () => {
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );

  function photoUpdate(user: { id: number; first_name: string }, fileId: string, caption: string) {
    const update = telegramTextUpdate(user, user.id, caption);
    const message = update['message'] as Record<string, unknown>;
    delete message['text'];
    message['caption'] = caption;
    message['photo'] = [{ file_id: fileId, file_unique_id: `u${fileId}`, width: 1, height: 1 }];
    return update;
  }

  it('answers a photo with a caption as a question about the image', async () => {
    const user = { id: newTelegramId(), first_name: 'Foto' };
    await deliverTelegram(h, photoUpdate(user, h.telegram.addFile(PNG), 'Apa ini?'));
    expect(texts(user.id).at(-1)).toBe('Echo: Apa ini?');
    const body = h.openai.requests.at(-1)!.body as { messages: { content: unknown }[] };
    expect(JSON.stringify(body.messages.at(-1)!.content)).toContain('data:image/png;base64,');
  });

  it('says so when the photo cannot be read, and calls no model', async () => {
    const user = { id: newTelegramId(), first_name: 'Rusak' };
    const before = h.openai.requests.length;
    await deliverTelegram(
      h,
      photoUpdate(user, h.telegram.addFile(Buffer.from('not an image at all')), 'Apa ini?'),
    );
    expect(texts(user.id).at(-1)).toMatch(/tidak bisa dibaca|could not be read/i);
    expect(h.openai.requests.length).toBe(before);
  });
});
