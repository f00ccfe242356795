/** The logging the bots need (pino satisfies it). Never pass message texts, keys or tokens. */
export interface BotLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: BotLogger = { warn: () => undefined, error: () => undefined };

/** Error fields safe to log: the class, code and message, never request bodies. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { err: String(error) };
  const code = (error as { code?: unknown }).code;
  return { err: error.message, errName: error.name, ...(code === undefined ? {} : { code }) };
}
