/**
 * The emails the accounts domain sends, in the account's language: Indonesian by default, English
 * when the person chose it (at sign-up, the language of the page they signed up on). One language
 * a message, so nobody reads a translation they did not ask for.
 */

export type EmailLocale = 'id' | 'en';

export interface AccountEmail {
  subject: string;
  text: string;
}

export function verificationEmail(locale: EmailLocale, link: string): AccountEmail {
  return locale === 'en'
    ? {
        subject: 'Verify your AIport email',
        text: `Open this link to verify your email:\n${link}\n\nIf you did not sign up for AIport, ignore this email.\n`,
      }
    : {
        subject: 'Verifikasi email AIport Anda',
        text: `Buka tautan ini untuk memverifikasi email Anda:\n${link}\n\nAbaikan email ini bila Anda tidak mendaftar di AIport.\n`,
      };
}

export function passwordResetEmail(locale: EmailLocale, link: string): AccountEmail {
  return locale === 'en'
    ? {
        subject: 'Reset your AIport password',
        text: `Open this link within 1 hour to choose a new password:\n${link}\n\nIgnore this email if you did not ask for it.\n`,
      }
    : {
        subject: 'Atur ulang kata sandi AIport',
        text: `Buka tautan ini dalam 1 jam untuk membuat kata sandi baru:\n${link}\n\nAbaikan email ini bila Anda tidak memintanya.\n`,
      };
}
