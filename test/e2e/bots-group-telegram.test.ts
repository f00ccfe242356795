import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordInteraction } from '../fakes/discord.js';
import {
  type BotsHarness,
  deliverDiscord,
  deliverTelegram,
  newTelegramId,
  startBotsHarness,
  telegramPress,
  telegramTextUpdate,
} from './bots-harness.js';

/**
 * Two people in one Telegram group: Budi, who has a private chat with the bot, and Sari, who
 * never started it. Whatever is about one person's account is never posted in the group; every
 * button acts only for the person it was made for.
 */
let h: BotsHarness;
const group = -newTelegramId();
const budi = { id: newTelegramId(), first_name: 'Budi', language_code: 'id' };
const sari = { id: newTelegramId(), first_name: 'Sari', language_code: 'id' };

beforeAll(async () => {
  h = await startBotsHarness();
  h.telegram.neverStarted(sari.id);
  // Budi has talked to the bot privately before.
  await deliverTelegram(h, telegramTextUpdate(budi, budi.id, '/start'));
  await deliverTelegram(h, telegramTextUpdate(sari, group, '/help'));
});
afterAll(() => h.close());

const groupTexts = () => h.telegram.transcript(group).messages.map((m) => m.text);
const privateTexts = (userId: number) => h.telegram.transcript(userId).messages.map((m) => m.text);

async function accountOf(platform: string, externalId: string | number): Promise<string> {
  const [row] = await h.app.database.sql<{ account_id: string }[]>`
    SELECT account_id FROM identities WHERE platform = ${platform} AND external_id = ${String(externalId)}`;
  return row!.account_id;
}

/** Nothing in the group mentions money, codes or personal data. */
function expectGroupClean(): void {
  for (const text of groupTexts()) {
    expect(text).not.toMatch(/Rp \d|Saldo Anda|Kode penghubung|rekening|berita\/keterangan|Pemakaian/);
  }
}

describe('private commands typed in a group', () => {
  const PRIVATE = ['/balance', '/usage', '/topup 50000', '/topup', '/link', '/privacy', '/export', '/delete'];

  it('answers Budi (who started the bot) by DM, with only a short note in the group', async () => {
    for (const command of PRIVATE) {
      const groupBefore = groupTexts().length;
      const dmBefore = h.telegram.transcript(budi.id).messages.length;
      await deliverTelegram(h, telegramTextUpdate(budi, group, command));
      expect(groupTexts().slice(groupBefore)).toEqual(['Jawabannya saya kirim lewat chat pribadi.']);
      expect(h.telegram.transcript(budi.id).messages.length).toBe(dmBefore + 1);
    }
    const dm = privateTexts(budi.id);
    expect(dm.some((t) => t.startsWith('Saldo Anda: Rp 5.000.'))).toBe(true);
    expect(dm.some((t) => /Kode penghubung: [A-Z0-9]{8}/.test(t))).toBe(true);
    expect(dm.some((t) => /Transfer tepat Rp 50\.\d{3}/.test(t))).toBe(true);
    const exported = h.telegram.transcript(budi.id).messages.find((m) => m.kind === 'document');
    expect(exported?.text).toMatch(/dikirim sebagai berkas/);
    expectGroupClean();
  });

  it('sends the top-up confirmation to Budi privately, not to the group', async () => {
    const [request] = await h.app.database.sql<{ reply_to: Record<string, string> }[]>`
      SELECT reply_to FROM topup_requests WHERE account_id = ${await accountOf('telegram', budi.id)}
      ORDER BY created_at DESC LIMIT 1`;
    expect(request!.reply_to).toMatchObject({ platform: 'telegram', chatId: String(budi.id) });
  });

  it('gives Sari (who never started the bot) a deep link in the group and nothing else', async () => {
    for (const command of ['/balance', '/topup 50000', '/link']) {
      const before = groupTexts().length;
      await deliverTelegram(h, telegramTextUpdate(sari, group, command));
      const [reply, ...rest] = groupTexts().slice(before);
      expect(rest).toEqual([]);
      expect(reply).toMatch(/^Ini bersifat pribadi\. .*https:\/\/t\.me\/aiport_test_bot\?start=[a-z_0-9]+$/);
    }
    expect(groupTexts().at(-2)).toContain('?start=topup_50000');
    expectGroupClean();
  });

  it('runs the command the deep link names once Sari opens the private chat', async () => {
    h.telegram.startedBy(sari.id);
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, '/start balance'));
    expect(privateTexts(sari.id).at(-1)).toMatch(/^Saldo Anda: Rp 5\.000\./);
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, '/start topup_50000'));
    expect(privateTexts(sari.id).at(-1)).toMatch(/Transfer tepat Rp 50\.\d{3}/);
    h.telegram.neverStarted(sari.id);
  });

  it('tells Budi privately when his balance is too low for a group question', async () => {
    const accountId = await accountOf('telegram', budi.id);
    const { availableMrp } = await h.app.container.core.ledger.balance(accountId);
    await h.app.container.core.ledger.debit('adjustment', {
      accountId,
      amountMrp: availableMrp,
      idempotencyKey: `group-empty-${budi.id}`,
    });
    const before = groupTexts().length;
    await deliverTelegram(h, telegramTextUpdate(budi, group, '@aiport_test_bot berapa 2+2?'));
    expect(groupTexts().slice(before)).toEqual(['Jawabannya saya kirim lewat chat pribadi.']);
    expect(privateTexts(budi.id).at(-1)).toMatch(/^Saldo tidak cukup/);
    await h.app.container.core.ledger.credit('adjustment', {
      accountId,
      amountMrp: availableMrp,
      idempotencyKey: `group-refill-${budi.id}`,
    });
    expectGroupClean();
  });

  it('ignores commands meant for other bots in the group', async () => {
    const before = groupTexts().length;
    await deliverTelegram(h, telegramTextUpdate(budi, group, '/weather@other_bot Jakarta'));
    await deliverTelegram(h, telegramTextUpdate(budi, group, '/roll d20'));
    expect(groupTexts().length).toBe(before);
    await deliverTelegram(h, telegramTextUpdate(budi, group, '/roll@aiport_test_bot'));
    expect(groupTexts().at(-1)).toMatch(/Perintah \/roll tidak dikenal/);
  });
});

describe('buttons pressed by the wrong person', () => {
  async function alertFor(presser: typeof sari, data: string, chatId = group): Promise<unknown> {
    await telegramPress(h, presser, chatId, data);
    return h.telegram.callsOf('answerCallbackQuery').at(-1)!.params;
  }

  const refused = { text: 'Tombol ini bukan untuk Anda.', show_alert: true };

  it('refuses Budi’s model and language buttons to Sari, changing nothing', async () => {
    await deliverTelegram(h, telegramTextUpdate(budi, group, '/model'));
    const menu = h.telegram.callsOf('sendMessage').at(-1)!.params['reply_markup'] as {
      inline_keyboard: { callback_data: string }[][];
    };
    const modelButton = menu.inline_keyboard.flat()[0]!.callback_data;
    expect(modelButton).toMatch(new RegExp(`^model:${budi.id}:`));
    expect(await alertFor(sari, modelButton)).toMatchObject(refused);
    await deliverTelegram(h, telegramTextUpdate(budi, group, '/lang'));
    expect(await alertFor(sari, `lang:${budi.id}:en`)).toMatchObject(refused);
    const [row] = await h.app.database.sql<{ locale: string }[]>`
      SELECT locale FROM accounts WHERE id = ${await accountOf('telegram', budi.id)}`;
    expect(row!.locale).toBe('id');
  });

  it('refuses Budi’s delete button to Sari: neither account is closed', async () => {
    expect(await alertFor(sari, `delete:${budi.id}:yes`, budi.id)).toMatchObject(refused);
    const rows = await h.app.database.sql<{ status: string }[]>`
      SELECT status FROM accounts WHERE id IN (${await accountOf('telegram', budi.id)}, ${await accountOf('telegram', sari.id)})`;
    expect(rows.map((r) => r.status)).toEqual(['active', 'active']);
  });

  it('refuses Budi’s Stars and photo buttons to Sari', async () => {
    const invoices = h.telegram.callsOf('sendInvoice').length;
    expect(await alertFor(sari, `stars:${budi.id}:100`)).toMatchObject(refused);
    expect(h.telegram.callsOf('sendInvoice')).toHaveLength(invoices);
    expect(await alertFor(sari, `photo:edit:${budi.id}:abc123`)).toMatchObject(refused);
  });

  it('labels the Stars buttons as Stars, in the person’s language', async () => {
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, '/topup'));
    const offer = h.telegram.callsOf('sendMessage').at(-1)!.params['reply_markup'] as {
      inline_keyboard: { text: string }[][];
    };
    expect(offer.inline_keyboard.flat()[0]!.text).toMatch(/^⭐ \d+ Stars → saldo Rp [\d.]+$/);
  });
});

describe('linking', () => {
  it('links Budi’s Telegram with a Discord account; Budi is told privately; the merge moves the balance once', async () => {
    await deliverTelegram(h, telegramTextUpdate(budi, group, '/link'));
    const code = /Kode penghubung: ([A-Z0-9]{8})/.exec(privateTexts(budi.id).at(-1)!)![1]!;
    const discordUser = String(BigInt(Date.now()) * 1000n);
    const redeem = discordInteraction({
      applicationId: h.discord.applicationId,
      name: 'link',
      options: [{ name: 'code', type: 3, value: code }],
      userId: discordUser,
    });
    const answer = await deliverDiscord(h, redeem);
    const data = answer.body!['data'] as { content: string; flags: number };
    expect(data.content).toMatch(/berhasil dihubungkan/);
    expect(data.flags).toBe(64);
    const survivor = await accountOf('telegram', budi.id);
    expect(await accountOf('discord', discordUser)).toBe(survivor);
    expect(privateTexts(budi.id).at(-1)).toMatch(/akun Discord kini terhubung/);
    expect(await h.app.container.core.ledger.verify()).toEqual([]);
    expectGroupClean();
  });

  it('moves the merged account’s open top-up request to the surviving account: a later transfer credits it there', async () => {
    const dewi = { id: newTelegramId(), first_name: 'Dewi' };
    await deliverTelegram(h, telegramTextUpdate(dewi, dewi.id, '/link'));
    const code = /Kode penghubung: ([A-Z0-9]{8})/.exec(privateTexts(dewi.id).at(-1)!)![1]!;
    // A Discord user with a pending top-up request redeems Dewi's code: their account is merged away.
    const discordUser = String(BigInt(Date.now()) * 1000n + 11n);
    const slash = (name: string, options: { name: string; type: number; value: string }[]) =>
      discordInteraction({ applicationId: h.discord.applicationId, name, options, userId: discordUser });
    await deliverDiscord(h, slash('topup', [{ name: 'amount', type: 4, value: '50000' as never }]));
    const merged = await accountOf('discord', discordUser);
    const [request] = await h.app.database.sql<{ code: string; transfer_amount_idr: bigint }[]>`
      SELECT code, transfer_amount_idr FROM topup_requests WHERE account_id = ${merged} AND status = 'pending'`;
    expect(request).toBeDefined();
    await deliverDiscord(h, slash('link', [{ name: 'code', type: 3, value: code }]));
    const survivor = await accountOf('telegram', dewi.id);
    expect(await accountOf('discord', discordUser)).toBe(survivor);
    const [closed] = await h.app.database.sql<
      { status: string }[]
    >`SELECT status FROM accounts WHERE id = ${merged}`;
    expect(closed!.status).toBe('closed');

    const before = (await h.app.container.core.ledger.balance(survivor)).balanceMrp;
    const result = await h.app.container.core.topups.ingestMutations([
      {
        mutationId: `after-link-${discordUser}`,
        bankId: 'bca',
        accountNumber: '',
        type: 'CR' as const,
        amountMrp: request!.transfer_amount_idr * 1000n,
        balanceMrp: null,
        description: '',
        note: `topup ${request!.code}`,
        date: '2026-12-03 10:00:00',
        raw: {},
      },
    ]);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['matched']);
    expect((await h.app.container.core.ledger.balance(survivor)).balanceMrp).toBe(
      before + request!.transfer_amount_idr * 1000n,
    );
    expect((await h.app.container.core.ledger.balance(merged)).balanceMrp).toBe(0n);
    expect(await h.app.container.core.ledger.verify()).toEqual([]);
  });

  it('refuses Budi’s code to Sari on the same platform', async () => {
    await deliverTelegram(h, telegramTextUpdate(budi, budi.id, '/link'));
    const code = /Kode penghubung: ([A-Z0-9]{8})/.exec(privateTexts(budi.id).at(-1)!)![1]!;
    h.telegram.startedBy(sari.id);
    await deliverTelegram(h, telegramTextUpdate(sari, sari.id, `/link ${code}`));
    expect(privateTexts(sari.id).at(-1)).toMatch(/platform yang sama/);
    expect(await accountOf('telegram', sari.id)).not.toBe(await accountOf('telegram', budi.id));
  });

  it('refuses to merge into a closed account, and leaves the code unused', async () => {
    const carol = { id: newTelegramId(), first_name: 'Carol' };
    await deliverTelegram(h, telegramTextUpdate(carol, carol.id, '/link'));
    const code = /Kode penghubung: ([A-Z0-9]{8})/.exec(privateTexts(carol.id).at(-1)!)![1]!;
    await h.app.database
      .sql`UPDATE accounts SET status = 'closed' WHERE id = ${await accountOf('telegram', carol.id)}`;
    const redeem = discordInteraction({
      applicationId: h.discord.applicationId,
      name: 'link',
      options: [{ name: 'code', type: 3, value: code }],
      userId: String(BigInt(Date.now()) * 1000n + 7n),
    });
    const answer = await deliverDiscord(h, redeem);
    expect((answer.body!['data'] as { content: string }).content).toMatch(/salah atau sudah kedaluwarsa/);
    const [row] = await h.app.database.sql<{ used_at: Date | null }[]>`
      SELECT used_at FROM link_codes WHERE account_id = ${await accountOf('telegram', carol.id)}`;
    expect(row!.used_at).toBeNull();
  });
});
