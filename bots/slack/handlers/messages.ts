import type { App } from '@slack/bolt';
import { promptFromSlackText } from '../upload-files.js';
import { runSlackFiles, type SlackFileDeps, type SlackFileRef } from './files.js';
import { runSlackTurn, type SlackThread, slackChatKey } from './turn.js';

function filesOf(event: unknown): SlackFileRef[] {
  const files = (event as { files?: unknown }).files;
  return Array.isArray(files) ? (files as SlackFileRef[]) : [];
}

function teamOf(body: { team_id?: string }, event: { team?: string }): string {
  return body.team_id ?? event.team ?? 'T';
}

/**
 * @mentions in channels (answered in the message's thread), every direct message (one continuing
 * conversation, answered without threads), and follow-ups in a thread the bot is already part of
 * (no new mention needed there).
 */
export function registerMessageHandlers(app: App, deps: SlackFileDeps): void {
  app.event('app_mention', async ({ event, body, client, context }) => {
    if (!event.user) return;
    const prompt = promptFromSlackText(event.text, context.botUserId ?? '');
    const thread = {
      teamId: teamOf(body, event),
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
      userId: event.user,
    };
    const files = filesOf(event);
    if (files.length > 0) return runSlackFiles(client, thread, prompt, files, deps);
    await runSlackTurn(client, thread, prompt, deps);
  });

  app.message(async ({ message, body, client, context }) => {
    // A message sharing files has the subtype `file_share`; every other subtype is not a person's message.
    const sharesFiles = message.subtype === 'file_share';
    if ((message.subtype !== undefined && !sharesFiles) || 'bot_id' in message) return;
    if (!('user' in message) || !message.user || typeof message.text !== 'string') return;
    const botUserId = context.botUserId ?? '';
    const teamId = teamOf(body as { team_id?: string }, message as { team?: string });
    if (message.channel_type === 'im') {
      const direct: SlackThread = {
        teamId,
        channel: message.channel,
        ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
        userId: message.user,
      };
      const prompt = promptFromSlackText(message.text, botUserId);
      if (sharesFiles) return runSlackFiles(client, direct, prompt, filesOf(message), deps);
      await runSlackTurn(client, direct, prompt, deps);
      return;
    }
    // Files in channels are read only with a mention (answered through app_mention).
    if (sharesFiles) return;
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
