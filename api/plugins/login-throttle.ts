import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AttemptTicket, LoginThrottle } from '../../core/security/login-throttle.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on POST /auth/login once the throttle counted the attempt, so its outcome can be reported. */
    loginAttempt?: AttemptTicket;
  }
}

/**
 * Login throttling for the people's sign-in (`POST /auth/login`), around the route rather than
 * inside it: before the handler the attempt is counted, and a throttled one is refused with 429 and
 * Retry-After without the password being checked; after it, a 401 stays counted as a failure, a
 * 200 clears it, and anything else is voided. Admin sign-in uses the same throttle directly.
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
    request.loginAttempt = await throttle.begin({ scope: 'user', identifier, ip: request.ip });
  });

  app.addHook('onResponse', async (request, reply) => {
    const ticket = request.loginAttempt;
    if (!ticket) return;
    const outcome =
      reply.statusCode === 401
        ? throttle.failed
        : reply.statusCode === 200
          ? throttle.succeeded
          : throttle.void;
    await outcome(ticket).catch(() => {});
  });
}

export default fp(loginThrottlePlugin, { name: 'login-throttle' });
