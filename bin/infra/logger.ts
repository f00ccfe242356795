import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED_PATHS } from '../../api/app.js';

/**
 * JSON logs; credentials redacted by path, and no request or response bodies at all. Written to
 * stdout unless a destination is given (tests capture the real configuration's output that way).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: [...REDACTED_PATHS, '*.password', '*.secret', '*.token', '*.apiKey'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
