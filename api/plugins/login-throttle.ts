import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { LoginThrottle } from '../../core/security/login-throttle.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on POST /auth/login once the throttle let it through, so the outcome can be counted. */
    loginAttempt?: { identifier: string; ip: string };
  }
}

/**
 * Failed-login throttling for the people's sign-in (`POST /auth/login`), around the route rather than
 * inside it: before the handler, a throttled attempt is refused with 429 and Retry-After without the
 * password being checked; after it, a 401 counts as a failure and a 200 clears the account's count.
 * Admin sign-in uses the same throttle directly, under its own scope.
 */
async function loginThrottlePlugin(
  app: FastifyInstance,
  options: { throttle: LoginThrottle },
): Promise<void> {
  const { throttle } = options;
  app.decorateRequest('loginAttempt', undefined);
  const isLogin = (request: FastifyRequest) =>
    request.method === 'POST' && request.routeOptions.url === '/auth/login';

  app.addHook('preHandler', async (request) => {
    if (!isLogin(request)) return;
    const body = request.body as { email?: unknown } | undefined;
    const identifier = typeof body?.email === 'string' ? body.email.slice(0, 254) : '';
    await throttle.check({ scope: 'user', identifier, ip: request.ip });
    request.loginAttempt = { identifier, ip: request.ip };
  });

  app.addHook('onResponse', async (request, reply) => {
    const attempt = request.loginAttempt;
    if (!attempt) return;
    const outcome = { scope: 'user' as const, ...attempt };
    if (reply.statusCode === 401) await throttle.failed(outcome).catch(() => {});
    else if (reply.statusCode === 200) await throttle.succeeded(outcome).catch(() => {});
  });
}

export default fp(loginThrottlePlugin, { name: 'login-throttle' });
