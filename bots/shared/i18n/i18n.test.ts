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
    unknownCommand: m.unknownCommand({ command: '/foo' }),
    chooseModel: m.chooseModel({ current: 'gpt-4o-mini' }),
    modelSet: m.modelSet({ model: 'gpt-4o-mini' }),
    conversationReset: m.conversationReset(),
    stillAnswering: m.stillAnswering(),
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

  it('formats money the Indonesian way and times in WIB', () => {
    expect(id.balance({ balanceMrp: 125_000_000n })).toContain('Rp 125.000');
    expect(en.usage({ rows: [{ model: 'm', costMrp: 237n, at: sample.at }] })).toContain('Rp 0,237');
    expect(id.topupInstructions(renderArgs())).toContain('Rp 50.123');
    expect(id.linkCodeIssued({ code: '1', expiresAt: sample.at })).toContain('19.45 WIB');
    expect(id.insufficientBalance({ neededMrp: 1_500n })).toBe(
      'Saldo tidak cukup (dibutuhkan Rp 1,5). Isi saldo dengan /topup JUMLAH.',
    );
  });

  it('lists every command in help, with descriptions that fit the platform menus', () => {
    for (const messages of [id, en]) {
      for (const command of BOT_COMMANDS.filter((c) => c !== 'start')) {
        expect(messages.help()).toContain(`/${command}`);
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
