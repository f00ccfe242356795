import pino, { type Logger } from 'pino';
import { REDACTED_PATHS } from '../../api/app.js';

/** JSON logs; credentials redacted by path, and no request or response bodies at all. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: [...REDACTED_PATHS, '*.password', '*.secret', '*.token', '*.apiKey'],
      censor: '[redacted]',
    },
  });
}
