import type { CatalogModel } from '../../core/catalog/index.js';
import { CoreError } from '../../core/errors.js';
import { anthropicModelView } from './model-views.js';

/**
 * Anthropic's model list: `{data, has_more, first_id, last_id}`, paged by `limit` (1-1000, default
 * 20) and `after_id` or `before_id` (ids of the list, which keeps the catalog's order).
 */
export function anthropicModelList(models: CatalogModel[], query: Record<string, unknown>) {
  const limit = query.limit === undefined ? 20 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new CoreError('invalid_request', 'limit must be an integer from 1 to 1000', {
      details: { param: 'limit' },
    });
  }
  const position = (id: unknown, param: string) => {
    const at = models.findIndex((m) => m.id === id);
    if (at < 0) {
      throw new CoreError('invalid_request', `${param} names no model of this list`, { details: { param } });
    }
    return at;
  };
  let start = 0;
  let end = models.length;
  if (typeof query.after_id === 'string') start = position(query.after_id, 'after_id') + 1;
  if (typeof query.before_id === 'string') {
    end = position(query.before_id, 'before_id');
    start = Math.max(start, end - limit);
  }
  const page = models.slice(start, Math.min(end, start + limit)).map(anthropicModelView);
  return {
    data: page,
    has_more: typeof query.before_id === 'string' ? start > 0 : start + page.length < end,
    first_id: page[0]?.id ?? null,
    last_id: page.at(-1)?.id ?? null,
  };
}
