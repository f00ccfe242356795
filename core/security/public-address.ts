import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, isIPv4, type LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { CoreError } from '../errors.js';

/**
 * Guards for URLs users hand us (image inputs): only http(s) to public unicast addresses, so a
 * request can never reach our own network, the cloud metadata service or loopback (SSRF).
 * Every host is resolved and every resolved address must be public; connections are then pinned to
 * the checked addresses, so a DNS answer that changes between check and connect cannot slip through.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface PublicUrl {
  url: URL;
  addresses: ResolvedAddress[];
}

const defaultLookup: HostLookup = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

/** Throws CoreError('invalid_request') unless `url` is http(s) and every address of its host is public. */
export async function assertPublicHttpUrl(
  url: string | URL,
  options: { lookup?: HostLookup } = {},
): Promise<PublicUrl> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('the URL is not valid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw refuse('only http and https URLs are allowed');
  if (parsed.username || parsed.password) throw refuse('URLs with credentials are not allowed');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    assertPublicAddress(host);
    return { url: parsed, addresses: [{ address: host, family: isIPv4(host) ? 4 : 6 }] };
  }
  // The URL parser already turns numeric hosts (2130706433, 0x7f.1) into dotted IPv4; anything that
  // still looks numeric is a form we do not understand, so it is refused rather than resolved.
  const labels = host.replace(/\.$/, '').split('.');
  if (labels.every((label) => /^(0x[0-9a-f]*|\d+)$/i.test(label)))
    throw refuse('numeric host forms are not allowed');
  if (labels.at(-1)?.toLowerCase() === 'localhost') throw refuse('the host is not a public address');
  let addresses: ResolvedAddress[];
  try {
    addresses = await (options.lookup ?? defaultLookup)(host);
  } catch {
    throw refuse('the host could not be resolved');
  }
  if (addresses.length === 0) throw refuse('the host could not be resolved');
  for (const { address } of addresses) assertPublicAddress(address);
  return { url: parsed, addresses };
}

/** Why an address is not public ('loopback', 'private', ...), or null when it is public. */
export function nonPublicReason(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(bare)) return ipv4Reason(bare.split('.').map(Number));
  if (isIP(bare) === 6) return ipv6Reason(ipv6Bytes(bare));
  return 'not an IP address';
}

function assertPublicAddress(address: string): void {
  const reason = nonPublicReason(address);
  if (reason !== null) throw refuse(`the host is not a public address (${reason})`);
}

function refuse(why: string): CoreError {
  return new CoreError('invalid_request', `Image URL refused: ${why}`);
}

const IPV4_BLOCKED: ReadonlyArray<[base: string, prefix: number, reason: string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

function ipv4ToInt(octets: readonly number[]): number {
  return octets.reduce((value, octet) => ((value << 8) | octet) >>> 0, 0);
}

function ipv4Reason(octets: readonly number[]): string | null {
  const value = ipv4ToInt(octets);
  for (const [base, prefix, reason] of IPV4_BLOCKED) {
    const mask = (0xffffffff << (32 - prefix)) >>> 0;
    if ((value & mask) >>> 0 === ipv4ToInt(base.split('.').map(Number))) return reason;
  }
  return null;
}

function ipv6Reason(bytes: Uint8Array): string | null {
  const at = (i: number) => bytes[i] ?? 0;
  const allZero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const embeddedV4 = (from: number) => [at(from), at(from + 1), at(from + 2), at(from + 3)];
  if (allZero(0, 16)) return 'unspecified';
  if (allZero(0, 15) && at(15) === 1) return 'loopback';
  if (allZero(0, 10) && at(10) === 0xff && at(11) === 0xff) {
    const reason = ipv4Reason(embeddedV4(12));
    return reason === null ? null : `IPv4-mapped ${reason}`;
  }
  if (allZero(0, 12)) return 'IPv4-compatible (deprecated)';
  if (at(0) === 0x00 && at(1) === 0x64 && at(2) === 0xff && at(3) === 0x9b) {
    if (!allZero(4, 12)) return 'local-use NAT64';
    const reason = ipv4Reason(embeddedV4(12));
    return reason === null ? null : `NAT64 ${reason}`;
  }
  if (at(0) === 0xff) return 'multicast';
  if ((at(0) & 0xfe) === 0xfc) return 'unique-local';
  if (at(0) === 0xfe && (at(1) & 0xc0) === 0x80) return 'link-local';
  if (at(0) === 0xfe && (at(1) & 0xc0) === 0xc0) return 'site-local';
  if ((at(0) & 0xe0) !== 0x20) return 'not global unicast';
  if (at(0) === 0x20 && at(1) === 0x01 && at(2) === 0x0d && at(3) === 0xb8) return 'documentation';
  if (at(0) === 0x20 && at(1) === 0x01 && at(2) === 0x00 && at(3) === 0x00) return 'Teredo';
  if (at(0) === 0x20 && at(1) === 0x02) {
    const reason = ipv4Reason(embeddedV4(2));
    return reason === null ? null : `6to4 ${reason}`;
  }
  return null;
}

/** A valid IPv6 text (as `net.isIP` accepts it, zone removed) -> its 16 bytes. */
export function ipv6Bytes(text: string): Uint8Array {
  let source = text.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(source)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    source = `${source.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = source.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** A connect-time lookup that answers only with addresses already checked, whatever DNS says now. */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((a) => wanted === undefined || a.family === wanted);
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no pinned address for this family'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all)
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    else callback(null, first.address, first.family);
  };
}

/** The slice of a fetch Response the image fetcher reads; undici's and the global one both fit. */
export interface PinnedResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: {
    getReader(): {
      read(): Promise<{ done: boolean; value?: Uint8Array }>;
      cancel(reason?: unknown): Promise<void>;
    };
  } | null;
}

/**
 * Fetches one URL without following redirects, connecting only to `addresses` (already checked).
 * Injectable so tests can stand in for the internet.
 */
export type PinnedFetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
  addresses: readonly ResolvedAddress[],
) => Promise<PinnedResponse>;

export const fetchPinned: PinnedFetch = async (url, init, addresses) => {
  const dispatcher = new Agent({ connect: { lookup: pinnedLookup(addresses) } });
  try {
    return await undiciFetch(url, { ...init, redirect: 'manual', dispatcher });
  } finally {
    // Graceful: the connection stays until the body has been read, then the agent goes away.
    dispatcher.close().catch(() => {});
  }
};

export interface FetchPublicImageOptions {
  maxBytes: number;
  lookup?: HostLookup;
  fetch?: PinnedFetch;
  /** Redirects followed, each re-checked (default 3). */
  maxRedirects?: number;
  /** For the whole download, all hops included (default 20 s). */
  timeoutMs?: number;
}

export interface FetchedImage {
  bytes: Buffer;
  contentType: string | null;
  finalUrl: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads a user-supplied image URL: every hop must pass `assertPublicHttpUrl`, redirects are
 * followed by hand (at most `maxRedirects`), and the body is cut off past `maxBytes`.
 * Errors: CoreError 'invalid_request' (refused URL, failed download, non-2xx answer) or
 * 'payload_too_large'.
 */
export async function fetchPublicImage(url: string, options: FetchPublicImageOptions): Promise<FetchedImage> {
  const fetchImpl = options.fetch ?? fetchPinned;
  const maxRedirects = options.maxRedirects ?? 3;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 20_000);
  let current: string = url;
  for (let hop = 0; hop <= maxRedirects; hop += 1) {
    const checked = await assertPublicHttpUrl(current, { lookup: options.lookup });
    let response: PinnedResponse;
    try {
      response = await fetchImpl(
        checked.url.toString(),
        { headers: { accept: 'image/*', 'user-agent': 'AIport-image-fetch/1' }, signal },
        checked.addresses,
      );
    } catch (cause) {
      throw new CoreError('invalid_request', 'Image URL refused: the image could not be downloaded', {
        cause,
      });
    }
    if (REDIRECT_STATUSES.has(response.status)) {
      await response.body?.getReader().cancel();
      const location = response.headers.get('location');
      if (!location) throw refuse(`HTTP ${response.status} without a Location`);
      current = new URL(location, checked.url).toString();
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      await response.body?.getReader().cancel();
      throw refuse(`the server answered HTTP ${response.status}`);
    }
    return {
      bytes: await readCapped(response, options.maxBytes),
      contentType: response.headers.get('content-type'),
      finalUrl: checked.url.toString(),
    };
  }
  throw refuse(`more than ${maxRedirects} redirects`);
}

async function readCapped(response: PinnedResponse, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new CoreError('payload_too_large', `Image is larger than ${maxBytes} bytes`);
  const reader = response.body?.getReader();
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await reader?.cancel();
    throw tooLarge();
  }
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: { done: boolean; value?: Uint8Array };
    try {
      chunk = await reader.read();
    } catch (cause) {
      throw new CoreError('invalid_request', 'Image URL refused: the download was interrupted', { cause });
    }
    if (chunk.done) break;
    if (!chunk.value) continue;
    total += chunk.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}
