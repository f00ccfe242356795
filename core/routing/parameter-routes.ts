import type { CatalogRoute, ChatModel } from '../catalog/index.js';
import { CoreError } from '../errors.js';
import type { ChatInputRequest } from '../metering/index.js';
import {
  type ChatProvider,
  type ProviderId,
  requestedParameters,
  unsupportedParameters,
} from '../providers/index.js';

/**
 * The model's configured routes whose provider honours every optional parameter the request sets
 * (parameter-support.ts), so failover never lands on a route that would drop one. When none does:
 * a 400 naming the first parameter that no route honours, before anything is held or charged.
 */
export function routesHonouring(
  model: ChatModel,
  providers: Partial<Record<ProviderId, ChatProvider>>,
  request: ChatInputRequest,
): CatalogRoute[] {
  const configured = model.activeRoutes.filter((r) => providers[r.provider as ProviderId] !== undefined);
  const requested = requestedParameters(request);
  if (requested.length === 0) return configured;
  const lacks = (route: CatalogRoute, params: typeof requested) =>
    unsupportedParameters(route.provider as ProviderId, params).length > 0;
  const honouring = configured.filter((r) => !lacks(r, requested));
  if (honouring.length > 0 || configured.length === 0) return honouring;
  const param = requested.find((p) => configured.every((r) => lacks(r, [p]))) ?? requested[0]!;
  throw new CoreError(
    'invalid_request',
    `The parameter "${param}" is not supported by the model "${model.id}" on any of its providers`,
    { details: { param } },
  );
}
