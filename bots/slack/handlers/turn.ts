import type { WebClient } from '@slack/web-api';
import type { BotUser, ChatService } from '../../../core/chat/index.js';
import { messagesOf } from '../../shared/bot-commands.js';
import type { BotLogger } from '../../shared/bot-logger.js';
import { identifyBotUser } from '../../shared/identify.js';
import { runBotTurn } from '../../shared/run-turn.js';
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
  /**
   * The thread the answer goes in; its messages are the conversation. Without one (a direct
   * message), the whole DM is one continuing conversation, answered with top-level messages.
   */
  threadTs?: string;
  userId: string;
}

/** The conversation a Slack message belongs to: its thread, or the whole direct message. */
export function slackChatKey(thread: SlackThread): string {
  const base = `${thread.teamId}:${thread.channel}`;
  return thread.threadTs ? `${base}:${thread.threadTs}` : base;
}

/** The account behind a Slack user (`TEAM:USER`), created on first contact. */
export function identifySlackUser(chat: ChatService, teamId: string, userId: string): Promise<BotUser> {
  return identifyBotUser(chat, 'slack', `${teamId}:${userId}`);
}

/** Posts a short notice in the thread (errors, "still answering"). */
export async function postInThread(client: WebClient, thread: SlackThread, text: string): Promise<void> {
  await client.chat.postMessage({
    channel: thread.channel,
    ...(thread.threadTs ? { thread_ts: thread.threadTs } : {}),
    text: markdownToMrkdwn(text),
  });
}

/**
 * A notice for one person only: in a direct message a normal message; in a channel an ephemeral
 * message (in the thread), which nobody else sees.
 */
export async function postPrivately(client: WebClient, thread: SlackThread, text: string): Promise<void> {
  if (isDirect(thread.channel)) return postInThread(client, thread, text);
  await client.chat.postEphemeral({
    channel: thread.channel,
    user: thread.userId,
    ...(thread.threadTs ? { thread_ts: thread.threadTs } : {}),
    text: markdownToMrkdwn(text),
  });
}

function isDirect(channel: string): boolean {
  return channel.startsWith('D');
}

/**
 * One chat turn in a Slack thread (see runBotTurn): the thread is the conversation, the answer
 * streams with chat.startStream/appendStream/stopStream (or edits where streaming is refused),
 * notices go in the thread, errors that name the person's account ephemeral.
 */
export async function runSlackTurn(
  client: WebClient,
  thread: SlackThread,
  prompt: string,
  deps: SlackTurnDeps,
  /** Images shared with the message (a vision question), base64. */
  images?: { mediaType: string; data: string }[],
): Promise<void> {
  const user = await identifySlackUser(deps.chat, thread.teamId, thread.userId);
  const t = messagesOf(user);
  if (prompt === '') {
    await postInThread(client, thread, t.help());
    return;
  }
  const target = {
    channel: thread.channel,
    ...(thread.threadTs ? { threadTs: thread.threadTs } : {}),
    ...(isDirect(thread.channel) ? {} : { recipientUserId: thread.userId, recipientTeamId: thread.teamId }),
  };
  await runBotTurn(
    deps,
    { user, t, chatKey: slackChatKey(thread), text: prompt, ...(images ? { images } : {}) },
    {
      say: (text) => postInThread(client, thread, text),
      sayPrivately: (text) => postPrivately(client, thread, text),
      stream: (deltas) =>
        streamSlackReply(client, target, deltas, deps.scheduler ? { scheduler: deps.scheduler } : {}),
    },
  );
}
