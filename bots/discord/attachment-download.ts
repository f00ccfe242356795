/**
 * Downloads files people attach to a Discord interaction. The attachment's `url` comes inside the
 * interaction body, so a forged or hostile one could name any address (our own network, a cloud
 * metadata service): only the exact origins of Discord's CDN are fetched, plus the configured
 * Discord API origin (a self-hosted or test stand-in the operator chose). Redirects are refused,
 * and the size is bounded by the stated `size` before the request and by the bytes read after it.
 */

/** Where Discord serves attachments (`url` and `proxy_url`). */
export const DISCORD_CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'] as const;

export interface AttachmentRef {
  url: string;
  /** Bytes, as Discord states them. */
  size: number;
}

/** The origins attachments may be fetched from, for a configured API base (DISCORD_API_BASE). */
export function attachmentOrigins(apiBase: string | undefined): string[] {
  const origins: string[] = [...DISCORD_CDN_ORIGINS];
  if (apiBase) {
    try {
      origins.push(new URL(apiBase).origin);
    } catch {
      // An unparsable base is refused by the REST client itself; it adds no origin here.
    }
  }
  return origins;
}

/** True when the URL is on one of `origins` (scheme, host and port all equal), without credentials. */
export function allowedAttachmentUrl(url: string, origins: readonly string[]): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.username || parsed.password) return undefined;
  return origins.includes(parsed.origin) ? parsed : undefined;
}

/**
 * The attachment's bytes; undefined when its URL is not on an allowed origin, it is larger than
 * `maxBytes` (stated, announced or read), or the CDN does not serve it.
 */
export async function downloadAttachment(
  attachment: AttachmentRef,
  maxBytes: number,
  origins: readonly string[],
): Promise<Uint8Array | undefined> {
  if (!(attachment.size <= maxBytes)) return undefined;
  const url = allowedAttachmentUrl(attachment.url, origins);
  if (!url) return undefined;
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(30_000) });
  if (!response.ok || !response.body) return undefined;
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await response.body.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
