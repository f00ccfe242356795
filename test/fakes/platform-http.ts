import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file part of a multipart body, with its bytes kept for assertions. */
export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface ParsedBody {
  /** Text fields (JSON bodies keep their original value types). */
  fields: Record<string, unknown>;
  files: Record<string, UploadedFile>;
}

export type RequestHandler = (req: IncomingMessage, raw: Buffer, res: ServerResponse) => Promise<void> | void;

export interface RunningServer {
  server: Server;
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  origin: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 port 0; a handler that throws answers 500 so a test sees the fake's own bug. */
export async function startFakeServer(handler: RequestHandler): Promise<RunningServer> {
  const server = createServer((req, res) => {
    readRaw(req)
      .then((raw) => handler(req, raw, res))
      .catch((error: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { ok: false, error_code: 500, description: `fake failure: ${String(error)}` });
        else res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Parses JSON, url-encoded and multipart bodies the way the platforms accept them. */
export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const type = (contentType ?? '').toLowerCase();
  if (raw.length === 0) return { fields: {}, files: {} };
  if (type.startsWith('application/json')) {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return { fields: isRecord(value) ? value : {}, files: {} };
  }
  if (type.startsWith('multipart/form-data')) return parseMultipart(raw, contentType ?? '');
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) fields[key] = value;
  return { fields, files: {} };
}

/**
 * A lenient multipart parser: clients differ in quoting (grammY sends `filename=cat.png` unquoted,
 * without spaces after colons), and a fake must accept what the real server accepts.
 */
function parseMultipart(raw: Buffer, contentType: string): ParsedBody {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) throw new Error('multipart body without boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, unknown> = {};
  const files: Record<string, UploadedFile> = {};
  let cursor = raw.indexOf(delimiter);
  while (cursor >= 0) {
    const partStart = cursor + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, partStart);
    if (next < 0) break;
    const part = raw.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = parsePartHeaders(part.subarray(0, Math.max(headerEnd, 0)).toString('utf8'));
    const content = headerEnd < 0 ? Buffer.alloc(0) : Buffer.from(part.subarray(headerEnd + 4));
    const disposition = headers['content-disposition'] ?? '';
    const name = dispositionParam(disposition, 'name');
    const filename = dispositionParam(disposition, 'filename');
    if (name !== undefined) {
      if (filename === undefined) fields[name] = content.toString('utf8');
      else
        files[name] = {
          filename,
          contentType: headers['content-type'] ?? 'application/octet-stream',
          bytes: content,
        };
    }
    cursor = next;
  }
  return { fields, files };
}

function parsePartHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;]*))`, 'i').exec(disposition);
  if (!match) return undefined;
  return (match[1] ?? match[2] ?? '').trim();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Form fields arrive as strings; objects sent that way are JSON text. */
export function asObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A fault to inject: answered instead of the real result for the next `times` calls of a method. */
export interface QueuedFault<F> {
  method: string;
  fault: F;
  remaining: number;
}

export class FaultQueue<F> {
  private readonly faults: QueuedFault<F>[] = [];

  add(method: string, fault: F, times = 1): void {
    this.faults.push({ method, fault, remaining: times });
  }

  /** Takes the next fault for this method (or for `*`), if any. */
  take(method: string): F | undefined {
    return this.takeWhere((key) => key === method || key === '*');
  }

  /** Takes the next fault whose key satisfies `matches` (e.g. a route prefix). */
  takeWhere(matches: (key: string) => boolean): F | undefined {
    const index = this.faults.findIndex((f) => matches(f.method));
    if (index < 0) return undefined;
    const entry = this.faults[index]!;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(index, 1);
    return entry.fault;
  }
}
