import type { App } from '@slack/bolt';
import { promptFromSlackText } from '../upload-files.js';
import { runSlackTurn, type SlackTurnDeps } from './turn.js';

function teamOf(body: { team_id?: string }, event: { team?: string }): string {
  return body.team_id ?? event.team ?? 'T';
}

/** @mentions in channels and every direct message, answered in the message's thread. */
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
    if (message.channel_type !== 'im' || message.subtype !== undefined || 'bot_id' in message) return;
    if (!message.user || typeof message.text !== 'string') return;
    await runSlackTurn(
      client,
      {
        teamId: teamOf(body as { team_id?: string }, message as { team?: string }),
        channel: message.channel,
        threadTs: message.thread_ts ?? message.ts,
        userId: message.user,
      },
      promptFromSlackText(message.text, context.botUserId ?? ''),
      deps,
    );
  });
}
