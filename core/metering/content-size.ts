/**
 * Whether a job's content (a prompt record: plain JSON values) is larger than `limit`, measured as
 * the characters of its strings plus a few per value (roughly its JSON size). The walk stops as soon
 * as the limit is passed, so asking costs at most `limit / 8` values however large the content is.
 */
const PER_VALUE = 8;

export function contentLargerThan(content: unknown, limit: number): boolean {
  let size = 0;
  const stack: unknown[] = [content];
  while (stack.length > 0) {
    const value = stack.pop();
    size += PER_VALUE;
    if (typeof value === 'string') size += value.length;
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value !== null && typeof value === 'object') {
      for (const key in value) {
        size += key.length;
        stack.push((value as Record<string, unknown>)[key]);
      }
    }
    if (size > limit) return true;
  }
  return false;
}
