import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { setSessionCookie, wantsCookie } from '../plugins/session-cookie.js';
import { loginBody, signupBody, verifyEmailQuery } from '../schemas/account.js';
import { redirect } from '../schemas/responses.js';
import { loginResponse, signupResponse, verifiedResponse } from '../schemas/responses-account.js';
import { validate } from '../schemas/validate.js';
import { accountView } from '../views.js';

export default async function authRoutes(
  app: FastifyInstance,
  opts: { core: Core; publicUrl?: string },
): Promise<void> {
  const { accounts } = opts.core;

  app.post(
    '/auth/signup',
    {
      schema: {
        response: { 201: signupResponse },
        summary: 'Create an account (a verification email is sent)',
        body: signupBody,
      },
    },
    async (request, reply) => {
      const body = validate(signupBody, request.body);
      await opts.core.signupLimit.admit(request.ip);
      const account = await accounts.signup(body);
      return reply.status(201).send({ account: accountView(account), verification: 'sent' });
    },
  );

  const secureCookie = new URL(opts.publicUrl ?? 'http://localhost').protocol === 'https:';

  // The web app gets an HttpOnly cookie and a CSRF token, never the token itself; programs get a
  // bearer token. Either way the session is a server-side row that logout ends.
  app.post(
    '/auth/login',
    {
      schema: {
        response: { 200: loginResponse },
        summary:
          'Sign in: a bearer session token, or with `x-aiport-client: web` an HttpOnly cookie and a CSRF token',
        body: loginBody,
      },
    },
    async (request, reply) => {
      const body = validate(loginBody, request.body);
      const { account, token, csrfToken, expiresAt } = await accounts.login(body, {
        userAgent: request.headers['user-agent'],
        ip: request.ip,
      });
      const common = { expires_at: expiresAt.toISOString(), account: accountView(account) };
      if (wantsCookie(request)) {
        setSessionCookie(reply, token, expiresAt, secureCookie);
        return { ...common, csrf_token: csrfToken };
      }
      return { token, token_type: 'Bearer', ...common };
    },
  );

  app.get(
    '/auth/verify-email',
    {
      schema: {
        response: {
          200: verifiedResponse,
          303: redirect('Browsers (`Accept: text/html`) go to the sign-in page, told it worked'),
        },
        summary: 'Open an emailed verification link',
        querystring: verifyEmailQuery,
      },
    },
    async (request, reply) => {
      const { token } = validate(verifyEmailQuery, request.query, 'query');
      const account = await accounts.verifyEmail(token);
      // A person opening the emailed link lands on the web app's sign-in page, told it worked.
      if (request.headers.accept?.includes('text/html')) return reply.redirect('/#/login?verified=1', 303);
      return { verified: true, account: accountView(account) };
    },
  );
}
