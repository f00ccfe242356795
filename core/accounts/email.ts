import { CoreError } from '../errors.js';

const EMAIL = /^[^\s@"'<>()[\]\\,;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Trimmed and lower-cased: emails are unique case-insensitively. */
export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new CoreError('invalid_request', 'Not a valid email address', {
      details: { param: 'email', wire_code: 'email_invalid' },
    });
  return email;
}
