/**
 * PostgreSQL's jsonb refuses two things a JavaScript string, and so a prompt, an output or a tool
 * schema, may hold: the NUL character and a UTF-16 surrogate without its pair (`"\ud800"` is valid
 * JSON). Writing either fails the whole statement. Job records replace both with U+FFFD: the record
 * is for people reviewing a job, and the request itself went upstream unchanged.
 *
 * Returns the value itself when nothing needed replacing (the common case costs one scan), else a
 * copy; keys are cleaned like values.
 */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

function cleanText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\ufffd') : text;
}

export function jsonbSafe<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const clean = jsonbSafe(item);
      if (clean !== item) {
        copy ??= [...value];
        copy[i] = clean;
      }
    });
    return (copy ?? value) as T;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    let copy: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const cleanKey = cleanText(key);
      const clean = jsonbSafe(item);
      if (clean !== item || cleanKey !== key) {
        copy ??= { ...(value as Record<string, unknown>) };
        if (cleanKey !== key) delete copy[key];
        copy[cleanKey] = clean;
      }
    }
    return (copy ?? value) as T;
  }
  return value;
}
