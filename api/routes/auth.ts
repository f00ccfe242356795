import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/core.js';
import { loginBody, signupBody, verifyEmailQuery } from '../schemas/account.js';
import { validate } from '../schemas/validate.js';
import { accountView } from '../views.js';

export default async function authRoutes(app: FastifyInstance, opts: { core: Core }): Promise<void> {
  const { accounts } = opts.core;

  app.post('/auth/signup', async (request, reply) => {
    const body = validate(signupBody, request.body);
    await opts.core.signupLimit.admit(request.ip);
    const account = await accounts.signup(body);
    return reply.status(201).send({ account: accountView(account), verification: 'sent' });
  });

  app.post('/auth/login', async (request) => {
    const body = validate(loginBody, request.body);
    const { account, token, expiresAt } = await accounts.login(body);
    return {
      token,
      token_type: 'Bearer',
      expires_at: expiresAt.toISOString(),
      account: accountView(account),
    };
  });

  app.get('/auth/verify-email', async (request, reply) => {
    const { token } = validate(verifyEmailQuery, request.query, 'query');
    const account = await accounts.verifyEmail(token);
    if (request.headers.accept?.includes('text/html')) {
      return reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>AIport</title><p>Email terverifikasi. Email verified.</p>',
        );
    }
    return { verified: true, account: accountView(account) };
  });
}
