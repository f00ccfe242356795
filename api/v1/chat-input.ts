import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RunChatInput } from '../../core/routing/index.js';
import { authOf } from '../plugins/auth.js';
import { clientGoneSignal } from './sse.js';

/**
 * The gateway input of an API chat request, whatever its wire format: the caller's account and key,
 * channel `api`, and a signal that fires when the client leaves (the gateway then bills once anyway).
 */
export function apiChatInput(
  request: FastifyRequest,
  reply: FastifyReply,
  modelId: string,
  chat: RunChatInput['request'],
): RunChatInput {
  const auth = authOf(request);
  return {
    accountId: auth.accountId,
    ...(auth.keyId ? { keyId: auth.keyId } : {}),
    channel: 'api',
    modelId,
    request: chat,
    signal: clientGoneSignal(reply),
  };
}
