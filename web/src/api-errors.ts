import type { ApiError } from './api';
import type { Lang, Messages } from './i18n';

type Worded = Exclude<keyof Messages['apiErrors'], 'other'>;

/**
 * An API error in the page's language. The server words its messages in English; people read the
 * error's `code` worded here instead. A code this table does not know yet is named by its kind in
 * the page's language, with the server's own words after it on a non-English page (so no detail is
 * lost), or as the server said it on the English page.
 */
export function errorText(error: ApiError, t: Messages, lang: Lang): string {
  const table = t.apiErrors;
  if (error.code && error.code !== 'other' && error.code in table) return table[error.code as Worded];
  if (lang === 'en') return error.message;
  const kind =
    error.status >= 500
      ? table.other.server
      : error.status === 401
        ? table.other.unauthorized
        : error.status === 403
          ? table.other.forbidden
          : error.status === 404
            ? table.other.not_found
            : error.status === 409
              ? table.other.conflict
              : table.other.invalid_request;
  return `${kind} (${error.message}).`;
}
