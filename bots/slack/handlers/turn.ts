import type { WebClient } from '@slack/web-api';
import type { BotUser, ChatService } from '../../../core/chat/index.js';
import { languageOf } from '../../shared/bot-commands.js';
import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import { errorMessage } from '../../shared/error-message.js';
import { messagesFor } from '../../shared/i18n/index.js';
import type { Scheduler } from '../../shared/scheduler.js';
import { markdownToMrkdwn } from '../markdown-to-mrkdwn.js';
import { streamSlackReply } from '../stream-reply.js';

export interface SlackTurnDeps {
  chat: ChatService;
  logger: BotLogger;
  scheduler?: Scheduler;
}

export interface SlackThread {
  teamId: string;
  channel: string;
  /** The thread the answer goes in; its messages are the conversation. */
  threadTs: string;
  userId: string;
}

/** The account behind a Slack user (`TEAM:USER`), created on first contact. */
export function identifySlackUser(chat: ChatService, teamId: string, userId: string): Promise<BotUser> {
  return chat.identify('slack', `${teamId}:${userId}`);
}

/** Posts a short notice in the thread (errors, "still answering"). */
export async function postInThread(client: WebClient, thread: SlackThread, text: string): Promise<void> {
  await client.chat.postMessage({
    channel: thread.channel,
    thread_ts: thread.threadTs,
    text: markdownToMrkdwn(text),
  });
}

/**
 * One chat turn in a Slack thread: the thread is the conversation, the answer streams with
 * chat.startStream/appendStream/stopStream (or edits where streaming is refused), failures become
 * their localized message in the thread.
 */
export async function runSlackTurn(
  client: WebClient,
  thread: SlackThread,
  prompt: string,
  deps: SlackTurnDeps,
): Promise<void> {
  const user = await identifySlackUser(deps.chat, thread.teamId, thread.userId);
  const t = messagesFor(languageOf(user));
  if (prompt === '') {
    await postInThread(client, thread, t.help());
    return;
  }
  try {
    const turn = await deps.chat.startTurn({
      user,
      chatKey: `${thread.teamId}:${thread.channel}:${thread.threadTs}`,
      text: prompt,
    });
    if (turn.status === 'busy') return postInThread(client, thread, t.stillAnswering());
    const isDirect = thread.channel.startsWith('D');
    await streamSlackReply(
      client,
      {
        channel: thread.channel,
        threadTs: thread.threadTs,
        ...(isDirect ? {} : { recipientUserId: thread.userId, recipientTeamId: thread.teamId }),
      },
      turn.deltas,
      deps.scheduler ? { scheduler: deps.scheduler } : {},
    );
    const result = await turn.result;
    if (result.refused) await postInThread(client, thread, t.contentRefused());
  } catch (error) {
    deps.logger.warn(errorFields(error), 'slack chat turn failed');
    await postInThread(client, thread, errorMessage(error, t)).catch(() => undefined);
  }
}
