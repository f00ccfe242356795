import { GrammyError } from 'grammy';

/** Seconds Telegram asks us to wait (429 flood control), or undefined for other errors. */
export function floodWaitSeconds(error: unknown): number | undefined {
  if (!(error instanceof GrammyError) || error.error_code !== 429) return undefined;
  return error.parameters.retry_after ?? 1;
}

/** Telegram refused the formatting (HTML/Markdown entities); the same text as plain text will go through. */
export function isEntityParseError(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /can't parse entities/i.test(error.description)
  );
}

/** An edit with the text already shown; harmless. */
export function isNotModified(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message is not modified/i.test(error.description)
  );
}
