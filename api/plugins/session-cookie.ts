import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The dashboard's session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on
 * cross-site POSTs; emailed links still arrive signed in), Secure whenever the public URL is https.
 * State-changing requests carrying it also need the session's CSRF token in `x-csrf-token`.
 */
export const SESSION_COOKIE = 'aiport_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Login and signup from the web app send this header to get a cookie instead of a bearer token. */
export const WEB_CLIENT_HEADER = 'x-aiport-client';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function wantsCookie(request: FastifyRequest): boolean {
  return request.headers[WEB_CLIENT_HEADER] === 'web';
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`,
  );
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`,
  );
}
