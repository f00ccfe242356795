import type { BotUser, ChatService } from '../../core/chat/index.js';
import { type BotLogger, errorFields } from './bot-logger.js';
import { errorMessage, revealsAccount } from './error-message.js';
import type { Messages } from './i18n/index.js';

/** How one platform shows a chat turn where it was asked. */
export interface TurnReplies {
  /** A short notice where the conversation is ("still answering", queue full, refused, errors). */
  say(text: string): Promise<unknown>;
  /** A notice for the asker alone: errors that reveal their account (the balance an answer needs). */
  sayPrivately(text: string): Promise<unknown>;
  /** Shows the answer as it is produced; resolves when it is complete. */
  stream(deltas: AsyncIterable<string>): Promise<unknown>;
}

export interface TurnDeps {
  chat: ChatService;
  logger: BotLogger;
}

/** Errors people cause or expect (their balance, their rate); everything else is logged as ours. */
const EXPECTED = new Set([
  'insufficient_balance',
  'rate_limited',
  'account_suspended',
  'content_refused',
  'model_not_found',
]);

/**
 * One chat turn, the same on every platform: "still answering" while the chat's previous turn
 * runs, a full line said so, the answer streamed, a safety refusal said after it, and any failure
 * as its short localized message (privately when it names the person's account). The figures
 * people see come from the job row, never from here.
 */
export async function runBotTurn(
  deps: TurnDeps,
  input: {
    user: BotUser;
    t: Messages;
    chatKey: string;
    text: string;
    /** Images sent with the message (a vision question), base64. */
    images?: { mediaType: string; data: string }[];
  },
  replies: TurnReplies,
): Promise<void> {
  const { t } = input;
  try {
    const turn = await deps.chat.startTurn({
      user: input.user,
      chatKey: input.chatKey,
      text: input.text,
      ...(input.images ? { images: input.images } : {}),
      onQueued: () => replies.say(t.stillAnswering()),
    });
    if (turn.status === 'full') {
      await replies.say(t.queueFull());
      return;
    }
    await replies.stream(turn.deltas);
    const result = await turn.result;
    if (result.refused) await replies.say(t.contentRefused());
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    const fields = { ...errorFields(error), platform: input.user.platform };
    if (typeof code === 'string' && EXPECTED.has(code)) deps.logger.warn(fields, 'chat turn refused');
    else deps.logger.error(fields, 'chat turn failed');
    const text = errorMessage(error, t);
    const send = revealsAccount(error) ? replies.sayPrivately(text) : replies.say(text);
    await send.catch((sendError: unknown) =>
      deps.logger.warn(
        { ...errorFields(sendError), platform: input.user.platform },
        'chat error reply failed',
      ),
    );
  }
}
