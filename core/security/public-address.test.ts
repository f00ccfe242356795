import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../errors.js';
import {
  assertPublicHttpUrl,
  fetchPinned,
  fetchPublicImage,
  type HostLookup,
  nonPublicReason,
  type PinnedFetch,
} from './public-address.js';

async function refusal(promise: Promise<unknown>): Promise<CoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a CoreError');
}

const PUBLIC_NAMES: Record<string, string[]> = {
  'images.public.test': ['93.184.216.34'],
  'cdn.public.test': ['2606:4700::6810:84e5', '104.16.132.229'],
  'internal.test': ['10.0.0.7'],
  'mixed.test': ['93.184.216.34', '192.168.1.20'],
  'metadata.test': ['169.254.169.254'],
  'empty.test': [],
};

const lookups: string[] = [];
const lookup: HostLookup = async (hostname) => {
  lookups.push(hostname);
  const answers = PUBLIC_NAMES[hostname];
  if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('nonPublicReason', () => {
  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '169.253.255.255',
    '2606:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
  ])('%s is public', (address) => {
    expect(nonPublicReason(address)).toBeNull();
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['::ffff:169.254.169.254', 'IPv4-mapped link-local'],
    ['::127.0.0.1', 'IPv4-compatible (deprecated)'],
    ['64:ff9b::a00:1', 'NAT64 private'],
    ['2002:7f00:1::', '6to4 loopback'],
    ['2001:db8::1', 'documentation'],
    ['not-an-ip', 'not an IP address'],
  ])('%s is refused as %s', (address, reason) => {
    expect(nonPublicReason(address)).toBe(reason);
  });
});

describe('assertPublicHttpUrl', () => {
  it('accepts an http(s) URL whose every address is public, and returns them', async () => {
    const checked = await assertPublicHttpUrl('https://cdn.public.test/cat.png', { lookup });
    expect(checked.url.hostname).toBe('cdn.public.test');
    expect(checked.addresses).toEqual([
      { address: '2606:4700::6810:84e5', family: 6 },
      { address: '104.16.132.229', family: 4 },
    ]);
    expect((await assertPublicHttpUrl('http://93.184.216.34/x.png', { lookup })).addresses).toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
  });

  it.each([
    ['ftp://images.public.test/a.png', /only http and https/],
    ['file:///etc/passwd', /only http and https/],
    ['javascript:alert(1)', /only http and https/],
    ['not a url', /not valid/],
    ['http://user:pass@images.public.test/', /credentials/],
    ['http://127.0.0.1/', /loopback/],
    ['http://2130706433/', /loopback/],
    ['http://0x7f.1/', /loopback/],
    ['http://0x7f000001/', /loopback/],
    ['http://0177.0.0.1/', /loopback/],
    ['http://127.1/', /loopback/],
    ['http://017700000001/', /loopback/],
    ['http://[::1]:8080/', /loopback/],
    ['http://[::ffff:127.0.0.1]/', /IPv4-mapped loopback/],
    ['http://[::ffff:a9fe:a9fe]/latest/meta-data', /IPv4-mapped link-local/],
    ['http://[fe80::1]/', /link-local/],
    ['http://0/', /unspecified/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://localhost/', /not a public address/],
    ['http://api.localhost./', /not a public address/],
    ['http://internal.test/', /private/],
    ['http://mixed.test/', /private/],
    ['http://metadata.test/', /link-local/],
    ['http://empty.test/', /could not be resolved/],
    ['http://nowhere.test/', /could not be resolved/],
  ])('refuses %s', async (url, message) => {
    const error = await refusal(assertPublicHttpUrl(url, { lookup }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(message);
  });

  it('never asks DNS about literal addresses or localhost', async () => {
    lookups.length = 0;
    await refusal(assertPublicHttpUrl('http://2130706433/', { lookup }));
    await refusal(assertPublicHttpUrl('http://localhost:3000/', { lookup }));
    await assertPublicHttpUrl('http://[2606:4700::1111]/', { lookup });
    expect(lookups).toEqual([]);
  });
});

describe('fetchPublicImage', () => {
  let server: Server;
  let port: number;
  const secretHits: string[] = [];
  const seenAddresses: string[][] = [];

  /** The "internet": public names are served by the local server, through the real pinned fetch. */
  const internet: PinnedFetch = (url, init, addresses) => {
    seenAddresses.push(addresses.map((a) => a.address));
    return fetchPinned(url, init, [{ address: '127.0.0.1', family: 4 }]);
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      const redirect = (location: string) => res.writeHead(302, { location }).end();
      if (path === '/img') res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('PNGDATA123'));
      else if (path === '/to-loopback') redirect(`http://127.0.0.1:${port}/secret`);
      else if (path === '/to-decimal') redirect(`http://2130706433:${port}/secret`);
      else if (path === '/to-private-name') redirect(`http://internal.test:${port}/secret`);
      else if (path === '/to-mapped') redirect(`http://[::ffff:127.0.0.1]:${port}/secret`);
      else if (path === '/to-file') redirect('file:///etc/passwd');
      else if (path === '/to-public') redirect(`http://cdn.public.test:${port}/img`);
      else if (path === '/relative') redirect('/img');
      else if (path.startsWith('/chain/')) {
        const left = Number(path.slice('/chain/'.length));
        redirect(left > 0 ? `/chain/${left - 1}` : '/img');
      } else if (path === '/declared-big')
        res.writeHead(200, { 'content-length': '5000' }).end('x'.repeat(5000));
      else if (path === '/chunked-big') {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        for (let i = 0; i < 50; i += 1) res.write('y'.repeat(100));
        res.end();
      } else if (path === '/secret') {
        secretHits.push(path);
        res.end('internal');
      } else res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const get = (path: string, maxBytes = 1000, host = 'images.public.test') =>
    fetchPublicImage(`http://${host}:${port}${path}`, { maxBytes, lookup, fetch: internet });

  it('downloads an image from a public name, connecting to the checked address', async () => {
    seenAddresses.length = 0;
    const image = await get('/img');
    expect(image.bytes.toString()).toBe('PNGDATA123');
    expect(image.contentType).toBe('image/png');
    expect(image.finalUrl).toBe(`http://images.public.test:${port}/img`);
    expect(seenAddresses).toEqual([['93.184.216.34']]);
  });

  it('follows redirects to public addresses, re-checking each hop', async () => {
    seenAddresses.length = 0;
    const image = await get('/to-public');
    expect(image.finalUrl).toBe(`http://cdn.public.test:${port}/img`);
    expect(seenAddresses).toEqual([['93.184.216.34'], ['2606:4700::6810:84e5', '104.16.132.229']]);
    expect((await get('/relative')).bytes.toString()).toBe('PNGDATA123');
    expect((await get('/chain/2')).bytes.toString()).toBe('PNGDATA123');
  });

  it.each([
    ['/to-loopback', /loopback/],
    ['/to-decimal', /loopback/],
    ['/to-private-name', /private/],
    ['/to-mapped', /IPv4-mapped loopback/],
    ['/to-file', /only http and https/],
  ])('refuses a redirect %s to a non-public place', async (path, message) => {
    const error = await refusal(get(path));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(message);
    expect(secretHits).toEqual([]);
  });

  it('refuses more than three redirects', async () => {
    expect((await refusal(get('/chain/3'))).message).toMatch(/more than 3 redirects/);
  });

  it('caps the body, declared or streamed', async () => {
    expect((await refusal(get('/declared-big'))).code).toBe('payload_too_large');
    expect((await refusal(get('/chunked-big', 4999))).code).toBe('payload_too_large');
    expect((await get('/chunked-big', 5000)).bytes.length).toBe(5000);
  });

  it('refuses error statuses and a first hop that is not public', async () => {
    expect((await refusal(get('/missing'))).message).toMatch(/HTTP 404/);
    expect((await refusal(get('/img', 1000, 'internal.test'))).message).toMatch(/private/);
    expect((await refusal(get('/img', 1000, '127.0.0.1'))).message).toMatch(/loopback/);
  });
});
