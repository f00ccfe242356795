import type { FastifyInstance } from 'fastify';
import type { SessionInfo } from '../../core/accounts/index.js';
import { recordAudit } from '../../core/audit/index.js';
import type { Core } from '../../core/core.js';
import { CoreError } from '../../core/errors.js';
import { authOf } from '../plugins/auth.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE } from '../plugins/session-cookie.js';
import {
  currentSessionResponse,
  passwordChangedResponse,
  resetDoneResponse,
  resetSentResponse,
  revokedResponse,
  sessionsResponse,
  signedOutResponse,
} from '../schemas/responses-account.js';
import {
  changePasswordBody,
  passwordResetBody,
  passwordResetConfirmBody,
  sessionParams,
} from '../schemas/sessions.js';
import { validate } from '../schemas/validate.js';
import { accountView } from '../views.js';

function sessionView(session: SessionInfo, currentId: string | undefined) {
  return {
    id: session.id,
    current: session.id === currentId,
    user_agent: session.userAgent,
    ip: session.ip,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
  };
}

/**
 * Sessions (current, list, revoke, logout), password reset by email and password change. Logging
 * out and revoking end sessions server-side; a changed password ends every other session, a reset
 * every session.
 */
export default async function sessionRoutes(
  app: FastifyInstance,
  opts: { core: Core; publicUrl?: string },
): Promise<void> {
  const { sessions, passwords, accounts, db } = opts.core;
  const secureCookie = new URL(opts.publicUrl ?? 'http://localhost').protocol === 'https:';

  // Always 202 whether or not the email has an account, so the form reveals nobody.
  app.post(
    '/auth/password-reset',
    {
      schema: {
        response: { 202: resetSentResponse },
        summary:
          'Email a password reset link (answers alike for unknown emails; limited per address and per email)',
        body: passwordResetBody,
      },
    },
    async (request, reply) => {
      const body = validate(passwordResetBody, request.body);
      await opts.core.resetLimit.admit(request.ip, body.email);
      await passwords.requestReset(body.email);
      return reply.status(202).send({ sent: true });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        response: { 200: resetDoneResponse },
        summary: 'Set a new password from a reset link; ends every session',
        body: passwordResetConfirmBody,
      },
    },
    async (request) => {
      const body = validate(passwordResetConfirmBody, request.body);
      const { accountId } = await passwords.reset(body.token, body.password);
      await recordAudit(db.sql, {
        actorType: 'account',
        actorId: accountId,
        action: 'account.password_reset',
        targetType: 'account',
        targetId: accountId,
        ip: request.ip,
      });
      return { reset: true };
    },
  );

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', signedIn.requireAccount());
    const sessionOnly = (request: Parameters<typeof authOf>[0]) => {
      const auth = authOf(request);
      if (auth.via !== 'session' || !auth.sessionId)
        throw new CoreError('forbidden', 'This needs a signed-in session, not an API key');
      return { accountId: auth.accountId, sessionId: auth.sessionId };
    };

    /** The web app's start-up call: who is signed in, and the CSRF token for its writes. */
    signedIn.get(
      '/auth/session',
      {
        schema: {
          response: { 200: currentSessionResponse },
          summary: 'The signed-in session: account and CSRF token',
        },
      },
      async (request, reply) => {
        const { accountId, sessionId } = sessionOnly(request);
        const cookie = readCookie(request, SESSION_COOKIE);
        reply.header('cache-control', 'no-store');
        return {
          session_id: sessionId,
          csrf_token: cookie ? sessions.csrfTokenFor(cookie) : null,
          account: accountView(await accounts.get(accountId)),
        };
      },
    );

    signedIn.post(
      '/auth/logout',
      {
        config: { allowSuspended: true },
        schema: { response: { 200: signedOutResponse }, summary: 'Sign out: ends this session server-side' },
      },
      async (request, reply) => {
        const { accountId, sessionId } = sessionOnly(request);
        await sessions.revoke(accountId, sessionId).catch(() => {});
        clearSessionCookie(reply, secureCookie);
        return { signed_out: true };
      },
    );

    signedIn.get(
      '/auth/sessions',
      { schema: { response: { 200: sessionsResponse }, summary: 'List the open sessions' } },
      async (request) => {
        const { accountId, sessionId } = sessionOnly(request);
        return {
          object: 'list',
          data: (await sessions.list(accountId)).map((s) => sessionView(s, sessionId)),
        };
      },
    );

    signedIn.delete(
      '/auth/sessions/:id',
      {
        config: { allowSuspended: true },
        schema: { response: { 200: revokedResponse }, summary: 'End one session', params: sessionParams },
      },
      async (request, reply) => {
        const { accountId, sessionId } = sessionOnly(request);
        const { id } = validate(sessionParams, request.params, 'params');
        await sessions.revoke(accountId, id);
        if (id === sessionId) clearSessionCookie(reply, secureCookie);
        return { id, revoked: true };
      },
    );

    signedIn.post(
      '/account/password',
      {
        schema: {
          response: { 200: passwordChangedResponse },
          summary: 'Change the password; ends the other sessions',
          body: changePasswordBody,
        },
      },
      async (request) => {
        const { accountId, sessionId } = sessionOnly(request);
        const body = validate(changePasswordBody, request.body);
        const { revokedSessions } = await passwords.change(
          accountId,
          { currentPassword: body.current_password, newPassword: body.new_password },
          sessionId,
        );
        await recordAudit(db.sql, {
          actorType: 'account',
          actorId: accountId,
          action: 'account.password_change',
          targetType: 'account',
          targetId: accountId,
          ip: request.ip,
        });
        return { changed: true, revoked_sessions: revokedSessions };
      },
    );
  });
}
