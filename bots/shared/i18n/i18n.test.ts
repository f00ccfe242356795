import { describe, expect, it } from 'vitest';
import { BOT_COMMANDS, en, id, languageFromLocale, type Messages, messagesFor } from './index.js';

const sample = {
  name: 'Budi',
  at: new Date('2026-11-22T12:45:00Z'),
};

/** Calls every message with representative arguments, so each one is exercised in both languages. */
function renderAll(m: Messages): Record<string, string> {
  return {
    welcome: m.welcome({ name: sample.name }),
    help: m.help(),
    unknownCommand: m.unknownCommand({ command: 'foo' }),
    chooseModel: m.chooseModel({ current: 'gpt-4o-mini' }),
    modelSet: m.modelSet({ model: 'gpt-4o-mini' }),
    conversationReset: m.conversationReset(),
    stillAnswering: m.stillAnswering(),
    queueFull: m.queueFull(),
    balance: m.balance({ balanceMrp: 125_000_000n }),
    usage: m.usage({ rows: [{ model: 'gpt-4o-mini', costMrp: 237n, at: sample.at }] }),
    topupInstructions: m.topupInstructions({
      transferMrp: 50_123_000n,
      code: 'TP-7K2Q',
      accounts: [{ bank: 'BCA', number: '1234567890', holder: 'PT AIport' }],
      expiresAt: sample.at,
    }),
    topupConfirmed: m.topupConfirmed({ amountMrp: 50_123_000n, balanceMrp: 60_000_500n }),
    amountMissing: m.amountMissing({ minMrp: 10_000_000n }),
    amountInvalid: m.amountInvalid({ minMrp: 10_000_000n, maxMrp: 10_000_000_000n }),
    redeemOk: m.redeemOk({ amountMrp: 25_000_000n, balanceMrp: 30_000_000n }),
    redeemInvalid: m.redeemInvalid(),
    redeemUsed: m.redeemUsed(),
    redeemMissing: m.redeemMissing(),
    linkCodeIssued: m.linkCodeIssued({ code: '482913', expiresAt: sample.at }),
    linked: m.linked(),
    linkInvalid: m.linkInvalid(),
    promptMissing: m.promptMissing({ command: 'image' }),
    photoUndecodable: m.photoUndecodable(),
    photoChoose: m.photoChoose(),
    photoEditButton: m.photoEditButton(),
    photoAskButton: m.photoAskButton(),
    photoChoiceExpired: m.photoChoiceExpired(),
    imageWorking: m.imageWorking(),
    videoQueued: m.videoQueued(),
    imageCaption: m.imageCaption({ model: 'gpt-image-1', costMrp: 700_000n }),
    videoCaption: m.videoCaption({ model: 'wan-2.2', costMrp: 5_000_000n, seconds: 5 }),
    insufficientBalance: m.insufficientBalance({ neededMrp: 1_500n, balanceMrp: 200n }),
    rateLimited: m.rateLimited({ retryAfterS: 12.2 }),
    modelUnavailable: m.modelUnavailable({ model: 'gpt-4o' }),
    contentRefused: m.contentRefused(),
    inputTooLong: m.inputTooLong(),
    invalidRequest: m.invalidRequest(),
    generationFailed: m.generationFailed(),
    accountSuspended: m.accountSuspended(),
    languageChoose: m.languageChoose(),
    languageSet: m.languageSet(),
    privacy: m.privacy(),
    exportSent: m.exportSent(),
    deleteAsk: m.deleteAsk(),
    deleteDone: m.deleteDone(),
    deleteCancelled: m.deleteCancelled(),
    deleteConfirmButton: m.deleteConfirmButton(),
    deleteCancelButton: m.deleteCancelButton(),
    modelUnknown: m.modelUnknown({ name: 'gpt-9' }),
    modelPrice: m.modelPrice({ name: 'GPT-4o mini', typicalMrp: 7_500n }),
    topupUnavailable: m.topupUnavailable({ stars: true, vouchers: true }),
    starsButton: m.starsButton({ stars: 50, amountMrp: 12_500_000n }),
    starsOffer: m.starsOffer(),
    linkSamePlatform: m.linkSamePlatform(),
    linkedNotice: m.linkedNotice({ platform: 'Slack' }),
    keyLimitNotice: m.keyLimitNotice({
      keyName: 'app',
      keyPrefix: 'aip_1234abcd',
      limit: 'day',
      thresholdPercent: 80,
      limitMrp: 10_000_000n,
      spentMrp: 8_000_500n,
      resetsAt: sample.at,
    }),
    notYourButton: m.notYourButton(),
    sentPrivately: m.sentPrivately(),
    openPrivateChat: m.openPrivateChat({ link: 'https://t.me/aiport_bot?start=balance' }),
    voiceUnavailable: m.voiceUnavailable(),
    voiceTooLong: m.voiceTooLong({ maxSeconds: 300 }),
    voiceTooLarge: m.voiceTooLarge({ maxMb: 20 }),
    voiceHeard: m.voiceHeard({ text: 'halo' }),
    voiceNothingHeard: m.voiceNothingHeard(),
    voiceUnreadable: m.voiceUnreadable(),
    stickerReply: m.stickerReply(),
    locationReply: m.locationReply(),
    photoWithoutCaption: m.photoWithoutCaption(),
    documentUnsupported: m.documentUnsupported(),
    documentTooLarge: m.documentTooLarge({ maxKb: 512 }),
    documentNoText: m.documentNoText(),
    documentNeedsQuestion: m.documentNeedsQuestion(),
    videoRunning: m.videoRunning({ percent: 40 }),
    mediaFailed: m.mediaFailed({ kind: 'video' }),
  };
}

describe('bot messages', () => {
  it('has the same keys in Indonesian and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
  });

  it('exercises every message, each non-empty, in both languages', () => {
    for (const messages of [id, en]) {
      const rendered = renderAll(messages);
      expect(Object.keys(rendered).sort()).toEqual(
        Object.keys(messages)
          .filter((k) => k !== 'commandDescription')
          .sort(),
      );
      for (const text of Object.values(rendered)) expect(text.trim()).not.toBe('');
    }
  });

  it('shows money in whole rupiah with each language’s separators, and times in WIB', () => {
    expect(id.balance({ balanceMrp: 50_027_209n })).toContain('Rp 50.027.');
    expect(en.balance({ balanceMrp: 50_027_209n })).toContain('Rp 50,027.');
    expect(en.usage({ rows: [{ model: 'm', costMrp: 237n, at: sample.at }] })).toContain('< Rp 1');
    expect(id.topupInstructions(renderArgs())).toContain('Rp 50.123');
    expect(id.linkCodeIssued({ code: '1', expiresAt: sample.at })).toContain('19.45 WIB');
    const short = id.insufficientBalance({ neededMrp: 41_118n, balanceMrp: 20_000n });
    expect(short).toContain('perkiraan untuk jawaban terpanjang yang mungkin: Rp 42');
    expect(short).toContain('saldo Rp 20');
    expect(short).toContain('/model');
    expect(short).toContain('/new');
  });

  it('names the bank, the number and the holder, and asks for the code in the transfer note', () => {
    const text = id.topupInstructions({ ...renderArgs(), code: 'TP-7K2Q' });
    expect(text).toContain('Bank BCA');
    expect(text).toContain('no. rekening 1');
    expect(text).toContain('a.n. A');
    expect(text).toMatch(/TP-7K2Q di berita\/keterangan transfer/);
    expect(en.topupInstructions(renderArgs())).toContain('transfer note');
  });

  it('speaks each platform’s command syntax', () => {
    const slack = messagesFor('id', 'slack');
    expect(slack.help()).toContain('/aiport topup 50000');
    expect(slack.help()).not.toMatch(/^\/topup/m);
    expect(slack.insufficientBalance({})).toContain('/aiport topup JUMLAH');
    const discord = messagesFor('en', 'discord');
    expect(discord.help()).toContain('/topup amount:50000');
    expect(discord.help()).toContain('/chat prompt:MESSAGE');
    expect(messagesFor('id', 'telegram').help()).toContain('/topup 50000');
    expect(messagesFor('id', 'telegram').help()).not.toContain('/chat');
  });

  it('lists every command in help, with descriptions that fit the platform menus', () => {
    for (const messages of [id, en]) {
      for (const command of BOT_COMMANDS.filter((c) => c !== 'start')) {
        expect(messages.help()).toContain(`/${command}`);
      }
      for (const command of BOT_COMMANDS.filter((c) => c !== 'start')) {
        expect(messagesFor('id', 'slack').help()).toContain(`/aiport ${command}`);
      }
      for (const command of BOT_COMMANDS) {
        const description = messages.commandDescription(command);
        expect(description.length).toBeGreaterThan(0);
        expect(description.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it('picks English only for English locales', () => {
    expect(languageFromLocale('en-US')).toBe('en');
    expect(languageFromLocale('id')).toBe('id');
    expect(languageFromLocale('ja')).toBe('id');
    expect(languageFromLocale(undefined)).toBe('id');
    expect(messagesFor('en')).toBe(en);
  });
});

function renderArgs() {
  return {
    transferMrp: 50_123_000n,
    code: 'X',
    accounts: [{ bank: 'BCA', number: '1', holder: 'A' }],
    expiresAt: sample.at,
  };
}
