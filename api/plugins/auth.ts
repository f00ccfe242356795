import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyScope } from '../../core/accounts/index.js';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';

export interface RequestAuth {
  accountId: string;
  /** Set when the caller used an API key (its id is recorded on jobs). */
  keyId?: string;
  /** The key's scopes when the caller used an API key (a key grants no more than it has). */
  scopes?: ApiKeyScope[];
  via: 'key' | 'session';
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: RequestAuth;
  }
  interface FastifyInstance {
    /** preHandler: an API key with the scope (the `/v1` model routes). */
    requireApiKey(scope: ApiKeyScope): (request: FastifyRequest) => Promise<void>;
    /** preHandler: a session token, or an API key with the `account` scope (the `/account` routes). */
    requireAccount(): (request: FastifyRequest) => Promise<void>;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  // Anthropic clients send the key in x-api-key.
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey ? apiKey.trim() : undefined;
}

function assertUsable(status: string): void {
  if (status === 'suspended')
    throw new CoreError('account_suspended', 'This account is suspended. Contact support.');
  if (status === 'closed') throw new CoreError('unauthorized', 'This account is closed');
}

async function authPlugin(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { apiKeys, tokens, accounts } = opts.core;

  app.decorateRequest('auth', undefined);

  app.decorate('requireApiKey', (scope: ApiKeyScope) => async (request: FastifyRequest) => {
    const secret = bearer(request);
    if (!secret) throw new CoreError('unauthorized', 'Missing API key: send "Authorization: Bearer aip_..."');
    const key = await apiKeys.authenticate(secret, scope);
    assertUsable(key.accountStatus);
    request.auth = { accountId: key.accountId, keyId: key.keyId, via: 'key' };
  });

  app.decorate('requireAccount', () => async (request: FastifyRequest) => {
    const secret = bearer(request);
    if (!secret)
      throw new CoreError('unauthorized', 'Missing credentials: send a session token or an API key');
    if (secret.startsWith('aip_')) {
      const key = await apiKeys.authenticate(secret, 'account');
      assertUsable(key.accountStatus);
      request.auth = { accountId: key.accountId, keyId: key.keyId, scopes: key.scopes, via: 'key' };
      return;
    }
    const claims = await tokens.verify(secret, 'session');
    const account = await accounts.get(claims.sub).catch(() => {
      throw new CoreError('unauthorized', 'Invalid or expired token');
    });
    if (account.status === 'closed') throw new CoreError('unauthorized', 'This account is closed');
    request.auth = { accountId: account.id, via: 'session' };
  });
}

export default fp(authPlugin, { name: 'auth' });

/** The authenticated account of a request that passed one of the preHandlers above. */
export function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new CoreError('unauthorized', 'Not authenticated');
  return request.auth;
}
