import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyScope } from '../../core/accounts/index.js';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { mrpToIdrNumber } from '../../core/ledger/index.js';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from './session-cookie.js';

/** On model responses of a key with a spend limit: rupiah it could still spend when the request came in. */
export const KEY_REMAINING_HEADER = 'x-aiport-key-remaining-idr';

export interface RequestAuth {
  accountId: string;
  /** Set when the caller used an API key (its id is recorded on jobs). */
  keyId?: string;
  /** The key's scopes when the caller used an API key (a key grants no more than it has). */
  scopes?: ApiKeyScope[];
  /** Set when the caller used a session (cookie or bearer `ses_...`). */
  sessionId?: string;
  via: 'key' | 'session';
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: RequestAuth;
  }
  interface FastifyInstance {
    /**
     * onRequest hook: an API key with the scope (the `/v1` model routes). It runs before the body
     * is read, so a caller without a valid key never costs us a parse.
     */
    /**
     * onRequest: an API key with the scope (the `/v1` model routes). `metered`: the route holds
     * money before any work, and the hold re-checks the key, so a recently read key may be reused.
     */
    requireApiKey(
      scope: ApiKeyScope,
      options?: { metered?: boolean },
    ): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** preHandler: a session (cookie or bearer), or an API key with the `account` scope (the `/account` routes). */
    requireAccount(): (request: FastifyRequest) => Promise<void>;
    /**
     * onRequest hook of the media routes the web playground also calls: an API key with the scope, or
     * else the signed-in session (cookie + CSRF on writes), billed alike. A `<video>` element can
     * only send the cookie, so the session is how the playground plays what it made.
     */
    requireKeyOrSession(scope: ApiKeyScope): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
  interface FastifyContextConfig {
    /** A write a suspended account's session may still make (signing out, ending sessions). */
    allowSuspended?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

/**
 * Who is calling. API keys act fully or not at all (a suspended account's keys are refused). A
 * session of a suspended account is read-only: it may look at its balance, usage and data, sign
 * out and end sessions, but not create keys, top up or change its email. A session cookie is an
 * ambient credential, so writes with it also need the session's CSRF token.
 */
async function authPlugin(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { apiKeys, sessions } = opts.core;

  app.decorateRequest('auth', undefined);

  app.decorate(
    'requireApiKey',
    (scope: ApiKeyScope, options: { metered?: boolean } = {}) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const secret = bearer(request);
        if (!secret)
          throw new CoreError('unauthorized', 'Missing API key: send "Authorization: Bearer aip_..."');
        const key = await apiKeys.authenticate(secret, scope, { forMeteredWork: options.metered === true });
        assertUsable(key.accountStatus);
        request.auth = { accountId: key.accountId, keyId: key.keyId, via: 'key' };
        // What the key could still spend as this request was admitted (the most it may cost).
        if (key.remainingMrp !== null) {
          reply.header(KEY_REMAINING_HEADER, String(mrpToIdrNumber(key.remainingMrp)));
        }
      },
  );

  app.decorate('requireAccount', () => requireAccount);
  app.decorate('requireKeyOrSession', (scope: ApiKeyScope) => {
    const keyGuard = app.requireApiKey(scope);
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const secret = bearer(request);
      const session = secret ? secret.startsWith('ses_') : readCookie(request, SESSION_COOKIE) !== undefined;
      return session ? requireAccount(request) : keyGuard(request, reply);
    };
  });

  async function requireAccount(request: FastifyRequest): Promise<void> {
    const secret = bearer(request);
    if (secret?.startsWith('aip_')) {
      const key = await apiKeys.authenticate(secret, 'account');
      assertUsable(key.accountStatus);
      request.auth = { accountId: key.accountId, keyId: key.keyId, scopes: key.scopes, via: 'key' };
      return;
    }
    const cookie = secret ? undefined : readCookie(request, SESSION_COOKIE);
    const token = secret ?? cookie;
    if (!token) throw new CoreError('unauthorized', 'Missing credentials: sign in, or send an API key');
    const session = await sessions.authenticate(token);
    const writes = !SAFE_METHODS.has(request.method);
    if (cookie && writes) {
      const given = request.headers[CSRF_HEADER];
      if (!sessions.csrfMatches(cookie, typeof given === 'string' ? given : undefined)) {
        throw new CoreError('forbidden', 'Missing or wrong CSRF token: reload the page and try again');
      }
    }
    if (session.accountStatus === 'suspended' && writes && !request.routeOptions.config.allowSuspended) {
      throw new CoreError(
        'account_suspended',
        'This account is suspended: you can still view it and sign out. Contact support.',
      );
    }
    request.auth = { accountId: session.accountId, sessionId: session.id, via: 'session' };
  }
}

export default fp(authPlugin, { name: 'auth' });

/** The authenticated account of a request that passed one of the preHandlers above. */
export function authOf(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new CoreError('unauthorized', 'Not authenticated');
  return request.auth;
}
