import type { z } from 'zod';
import { CoreError } from '../../core/errors.js';

/**
 * Validates a body, query or params with zod; on failure, one clear message naming the first
 * offending field (OpenAI clients show `param`).
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(value ?? (what === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const message =
    issue.code === 'invalid_type' && issue.input === undefined
      ? path
        ? `Missing required field "${path}"`
        : `Missing request ${what}`
      : issue.code === 'unrecognized_keys'
        ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
        : path
          ? `Invalid "${path}": ${issue.message}`
          : `Invalid ${what}: ${issue.message}`;
  throw new CoreError('invalid_request', message, { details: { param: path || null } });
}
