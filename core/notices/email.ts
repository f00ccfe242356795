import { formatIdr } from '../ledger/index.js';
import type {
  AccountLinkedMessage,
  KeyLimitMessage,
  NotifierMessage,
  TopupCreditedMessage,
} from '../ports/notifier.js';

/** The words of a top-up confirmation, for email (the bots render their own chat messages). */
export function renderTopupCredited(message: TopupCreditedMessage): { subject: string; text: string } {
  const amount = formatIdr(message.amountMrp);
  const balance = formatIdr(message.balanceMrp);
  if (message.locale === 'en') {
    return {
      subject: `AIport: ${amount} added to your balance`,
      text: `We received your transfer. ${amount} was added to your AIport balance.\nNew balance: ${balance}\n`,
    };
  }
  return {
    subject: `AIport: saldo bertambah ${amount}`,
    text: `Transfer Anda sudah kami terima. ${amount} telah ditambahkan ke saldo AIport Anda.\nSaldo sekarang: ${balance}\n`,
  };
}

/** `03-11-2026 00:00 WIB`: people in Indonesia read times in Jakarta time. */
function wib(date: Date): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Jakarta',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
  return `${text.replace(',', '').replaceAll('/', '-')} WIB`;
}

const LIMIT_EN = { total: 'total', day: 'daily', week: 'weekly', month: 'monthly' } as const;
const LIMIT_ID = { total: 'total', day: 'harian', week: 'mingguan', month: 'bulanan' } as const;

/** The words of an API key's limit notice, for email. */
export function renderKeyLimit(message: KeyLimitMessage): { subject: string; text: string } {
  const key = `"${message.keyName}" (${message.keyPrefix}…)`;
  const limit = formatIdr(message.limitMrp);
  const spent = formatIdr(message.spentMrp);
  const reached = message.thresholdPercent >= 100;
  if (message.locale === 'en') {
    const which = LIMIT_EN[message.limit];
    const next = message.resetsAt
      ? `The limit starts over at ${wib(message.resetsAt)}.`
      : 'Raise the limit in your dashboard to keep using this key.';
    return {
      subject: reached
        ? `AIport: API key ${message.keyName} reached its ${which} limit`
        : `AIport: API key ${message.keyName} used ${message.thresholdPercent}% of its ${which} limit`,
      text: [
        reached
          ? `Your API key ${key} has reached its ${which} spend limit of ${limit}: its requests are refused until the limit allows them again.`
          : `Your API key ${key} has used ${message.thresholdPercent}% of its ${which} spend limit: ${spent} of ${limit}.`,
        next,
        '',
      ].join('\n'),
    };
  }
  const which = LIMIT_ID[message.limit];
  const next = message.resetsAt
    ? `Batas ini mulai lagi pada ${wib(message.resetsAt)}.`
    : 'Naikkan batasnya di dasbor untuk tetap memakai kunci ini.';
  return {
    subject: reached
      ? `AIport: kunci API ${message.keyName} mencapai batas ${which}`
      : `AIport: kunci API ${message.keyName} memakai ${message.thresholdPercent}% batas ${which}`,
    text: [
      reached
        ? `Kunci API Anda ${key} telah mencapai batas pemakaian ${which} sebesar ${limit}: permintaannya ditolak sampai batas mengizinkan lagi.`
        : `Kunci API Anda ${key} telah memakai ${message.thresholdPercent}% dari batas pemakaian ${which}: ${spent} dari ${limit}.`,
      next,
      '',
    ].join('\n'),
  };
}

/** Any notice, as an email. */
export function renderEmail(message: NotifierMessage): { subject: string; text: string } {
  if (message.kind === 'account_linked') return renderAccountLinked(message);
  return message.kind === 'topup_credited' ? renderTopupCredited(message) : renderKeyLimit(message);
}

/** A link code was used on the website (sent to chats today; worded for email too). */
export function renderAccountLinked(message: AccountLinkedMessage): { subject: string; text: string } {
  if (message.locale === 'en') {
    return {
      subject: 'AIport: your link code was used',
      text: 'Your link code was just used on the AIport website: your chat account is now linked with an email account. If this was not you, contact AIport support right away.\n',
    };
  }
  return {
    subject: 'AIport: kode penghubung Anda dipakai',
    text: 'Kode penghubung Anda baru dipakai di situs AIport: akun chat Anda kini terhubung dengan akun email. Jika itu bukan Anda, segera hubungi dukungan AIport.\n',
  };
}
