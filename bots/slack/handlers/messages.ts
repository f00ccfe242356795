import type { App } from '@slack/bolt';
import { promptFromSlackText } from '../upload-files.js';
import { runSlackTurn, type SlackThread, type SlackTurnDeps, slackChatKey } from './turn.js';

function teamOf(body: { team_id?: string }, event: { team?: string }): string {
  return body.team_id ?? event.team ?? 'T';
}

/**
 * @mentions in channels (answered in the message's thread), every direct message (one continuing
 * conversation, answered without threads), and follow-ups in a thread the bot is already part of
 * (no new mention needed there).
 */
export function registerMessageHandlers(app: App, deps: SlackTurnDeps): void {
  app.event('app_mention', async ({ event, body, client, context }) => {
    if (!event.user) return;
    const prompt = promptFromSlackText(event.text, context.botUserId ?? '');
    await runSlackTurn(
      client,
      {
        teamId: teamOf(body, event),
        channel: event.channel,
        threadTs: event.thread_ts ?? event.ts,
        userId: event.user,
      },
      prompt,
      deps,
    );
  });

  app.message(async ({ message, body, client, context }) => {
    if (message.subtype !== undefined || 'bot_id' in message) return;
    if (!message.user || typeof message.text !== 'string') return;
    const botUserId = context.botUserId ?? '';
    const teamId = teamOf(body as { team_id?: string }, message as { team?: string });
    if (message.channel_type === 'im') {
      await runSlackTurn(
        client,
        {
          teamId,
          channel: message.channel,
          ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
          userId: message.user,
        },
        promptFromSlackText(message.text, botUserId),
        deps,
      );
      return;
    }
    // In channels: a reply in a thread the bot answered in. A message that mentions the bot
    // arrives as app_mention too and is answered there.
    const threadTs = message.thread_ts;
    if (!threadTs || (botUserId && message.text.includes(`<@${botUserId}`))) return;
    const thread: SlackThread = { teamId, channel: message.channel, threadTs, userId: message.user };
    const ours =
      (message as { parent_user_id?: string }).parent_user_id === botUserId ||
      (await deps.chat.hasConversation('slack', slackChatKey(thread)));
    if (!ours) return;
    await runSlackTurn(client, thread, promptFromSlackText(message.text, botUserId), deps);
  });
}
