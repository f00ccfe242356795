import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningFake } from './media-fake-server.js';

/** Which fake answers a request: the first rule whose test accepts the path, else `fallback`. */
export interface FrontDoorRule {
  test(path: string): boolean;
  target: string;
}

/**
 * One origin in front of several fakes of one provider (chat, images and videos are separate
 * fakes; a real provider serves them all under one base URL). Requests and responses are piped
 * unchanged, streams included.
 */
export async function startFrontDoor(
  rules: FrontDoorRule[],
  fallback: string,
  port = 0,
): Promise<RunningFake> {
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const target = new URL(rules.find((r) => r.test(path))?.target ?? fallback);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fake unreachable: ${error.message}`);
    });
    req.pipe(upstream);
  });
  await listenPreferring(server, port);
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Listens on 127.0.0.1:`port`, or on a free port when that one is taken (or 0). */
export async function listenPreferring(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  const attempt = (p: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, '127.0.0.1');
    });
  if (port === 0) return attempt(0);
  try {
    await attempt(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await attempt(0);
  }
}
