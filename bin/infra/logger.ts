import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED_PATHS } from '../../api/app.js';

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * A request as logged: the path without its query string, since links carry tokens there (email
 * verification, signed file links) and a query may hold whatever a client put in it.
 */
export function serializeRequest(request: LoggedRequest) {
  return {
    method: request.method,
    url: request.url?.split('?')[0],
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * JSON logs; credentials redacted by path, and no request or response bodies at all. Written to
 * stdout unless a destination is given (tests capture the real configuration's output that way).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    serializers: { req: serializeRequest },
    redact: {
      paths: [...REDACTED_PATHS, '*.password', '*.secret', '*.token', '*.apiKey'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
