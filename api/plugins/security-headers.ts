import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every response, and a strict Content-Security-Policy on HTML pages. A route
 * that needs a different policy (an API explorer, say) sets its own `content-security-policy`
 * header; this plugin never overwrites one. HSTS only when the public URL is https. No
 * Cross-Origin-Resource-Policy: developers embed our signed file links in their own pages.
 */
export const HTML_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // blob: previews a picture the person picked to upload, before it is sent.
  "img-src 'self' data: blob: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

async function securityHeaders(app: FastifyInstance, options: { publicUrl: string }): Promise<void> {
  const https = new URL(options.publicUrl).protocol === 'https:';
  app.addHook('onSend', async (_request, reply, payload) => {
    const set = (name: string, value: string) => {
      if (!reply.hasHeader(name)) reply.header(name, value);
    };
    set('x-content-type-options', 'nosniff');
    set('referrer-policy', 'no-referrer');
    set('x-frame-options', 'DENY');
    set('cross-origin-opener-policy', 'same-origin');
    set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (https) set('strict-transport-security', 'max-age=31536000; includeSubDomains');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) set('content-security-policy', HTML_CSP);
    return payload;
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
