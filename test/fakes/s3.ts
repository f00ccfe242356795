import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { listenFake, type RunningFake, sleep } from './media-fake-server.js';

/**
 * A path-style S3 fake (`{url}/{bucket}/{key}`) good enough for the real `@aws-sdk/client-s3`:
 * PutObject, GetObject, HeadObject, DeleteObject and ListObjectsV2, with S3's XML error bodies.
 * It records each request's SigV4 Authorization header but does not verify signatures.
 */

export interface FakeS3Object {
  bytes: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export interface FakeS3Request {
  method: string;
  bucket: string;
  key: string;
  query: Record<string, string>;
  authorization: string | undefined;
}

export interface FakeS3Options {
  buckets?: string[];
  /** ListObjectsV2 page size cap, to exercise pagination. */
  listPageSize?: number;
}

export interface FakeS3 extends RunningFake {
  objects: Map<string, FakeS3Object>;
  requests: FakeS3Request[];
  /** The next `times` requests answer with this S3 error (e.g. 503 SlowDown, 500 InternalError). */
  failNext(status: number, code: string, times?: number): void;
  /** Delay before every answer. */
  setLatency(ms: number): void;
}

export async function startFakeS3(options: FakeS3Options = {}): Promise<FakeS3> {
  const buckets = new Set(options.buckets ?? ['aiport']);
  const pageSize = options.listPageSize ?? 1000;
  const objects = new Map<string, FakeS3Object>();
  const requests: FakeS3Request[] = [];
  let failures: Array<{ status: number; code: string }> = [];
  let latency = 0;

  const server = await listenFake(async (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const [, bucketSegment = '', ...keySegments] = url.pathname.split('/');
    const bucket = decodeURIComponent(bucketSegment);
    const key = keySegments.map((segment) => decodeURIComponent(segment)).join('/');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    requests.push({ method, bucket, key, query, authorization: req.headers.authorization });
    if (latency > 0) await sleep(latency);

    const failure = failures.shift();
    if (failure !== undefined) return sendError(res, failure.status, failure.code, method, key);
    if (!buckets.has(bucket)) return sendError(res, 404, 'NoSuchBucket', method, key);
    const objectId = `${bucket}/${key}`;

    if (key === '') {
      if (method === 'GET' && query['list-type'] === '2') return listObjects(res, bucket, query);
      return sendError(res, 400, 'InvalidRequest', method, key);
    }
    switch (method) {
      case 'PUT': {
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        objects.set(objectId, {
          bytes: body,
          contentType: req.headers['content-type'] ?? 'binary/octet-stream',
          etag,
          lastModified: new Date(),
        });
        res.writeHead(200, { etag, 'content-length': 0 });
        return res.end();
      }
      case 'GET':
      case 'HEAD': {
        const object = objects.get(objectId);
        if (object === undefined) return sendError(res, 404, 'NoSuchKey', method, key);
        res.writeHead(200, {
          'content-type': object.contentType,
          'content-length': object.bytes.length,
          etag: object.etag,
          'last-modified': object.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
        });
        return res.end(method === 'GET' ? object.bytes : undefined);
      }
      case 'DELETE': {
        objects.delete(objectId);
        res.writeHead(204);
        return res.end();
      }
      default:
        return sendError(res, 405, 'MethodNotAllowed', method, key);
    }
  });

  function listObjects(res: ServerResponse, bucket: string, query: Record<string, string>): void {
    const prefix = query['prefix'] ?? '';
    const maxKeys = Math.min(Number(query['max-keys'] ?? 1000), pageSize);
    const after = query['continuation-token'] ?? query['start-after'] ?? '';
    const keys = [...objects.keys()]
      .filter((id) => id.startsWith(`${bucket}/`))
      .map((id) => id.slice(bucket.length + 1))
      .filter((key) => key.startsWith(prefix) && key > after)
      .sort();
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((key) => {
        const object = objects.get(`${bucket}/${key}`)!;
        return `<Contents><Key>${xml(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${xml(object.etag)}</ETag><Size>${object.bytes.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated ? `<NextContinuationToken>${xml(page.at(-1) ?? '')}</NextContinuationToken>` : '';
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`;
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  return {
    ...server,
    objects,
    requests,
    failNext(status, code, times = 1) {
      failures = [...failures, ...Array.from({ length: times }, () => ({ status, code }))];
    },
    setLatency(ms) {
      latency = ms;
    },
  };
}

function sendError(res: ServerResponse, status: number, code: string, method: string, key: string): void {
  // HEAD answers carry no body, so the SDK reports them by status (`NotFound`).
  if (method === 'HEAD') {
    res.writeHead(status);
    res.end();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message><Key>${xml(key)}</Key><RequestId>fake</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
