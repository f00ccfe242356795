import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { CoreError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

export type TokenPurpose = 'session' | 'verify-email' | 'admin-session' | 'password-reset';

export interface TokenClaims {
  sub: string;
  purpose: TokenPurpose;
  /** For email verification: the address being verified, so a later change invalidates old links. */
  email?: string;
  /** For password reset: a fingerprint of the password it replaces, so the link works once. */
  state?: string;
}

const LIFETIMES_S: Record<TokenPurpose, number> = {
  session: 24 * 3600,
  'verify-email': 3 * 24 * 3600,
  'admin-session': 30 * 60,
  'password-reset': 3600,
};

/** HS256 tokens for sessions and emailed links; the purpose is checked so one kind never passes for another. */
export function createTokenService(secret: string, clock: Clock) {
  if (secret.length < 32) throw new CoreError('invalid_request', 'JWT secret must be at least 32 characters');
  const key = new TextEncoder().encode(secret);

  return {
    async issue(claims: TokenClaims): Promise<{ token: string; expiresAt: Date }> {
      const now = Math.floor(clock.now().getTime() / 1000);
      const exp = now + LIFETIMES_S[claims.purpose];
      const token = await new SignJWT({
        purpose: claims.purpose,
        ...(claims.email ? { email: claims.email } : {}),
        ...(claims.state ? { state: claims.state } : {}),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setIssuedAt(now)
        // A unique id: two tokens with the same claims in the same second still differ.
        .setJti(randomUUID())
        .setExpirationTime(exp)
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },

    async verify(token: string, purpose: TokenPurpose): Promise<TokenClaims> {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          currentDate: clock.now(),
        });
        if (payload.purpose !== purpose || typeof payload.sub !== 'string') throw new Error('wrong purpose');
        return {
          sub: payload.sub,
          purpose,
          ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
          ...(typeof payload.state === 'string' ? { state: payload.state } : {}),
        };
      } catch {
        throw new CoreError('unauthorized', 'Invalid or expired token');
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
