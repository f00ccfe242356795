import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { type BotCommands, type BotReply, messagesOf, parseCommand } from '../../shared/bot-commands.js';
import { type BotLogger, errorFields } from '../../shared/bot-logger.js';
import type { BotMedia } from '../../shared/bot-services.js';
import { choiceArgs, decodeChoice, pressedByOwner } from '../../shared/choices.js';
import { errorMessage } from '../../shared/error-message.js';
import type { Messages } from '../../shared/i18n/index.js';
import {
  CHOICE_ACTION_PREFIX,
  deleteConfirmBlocks,
  languagePickerBlocks,
  modelPickerBlocks,
} from '../blocks.js';
import { markdownToMrkdwn } from '../markdown-to-mrkdwn.js';
import { uploadSlackFiles } from '../upload-files.js';
import { identifySlackUser, runSlackTurn, type SlackTurnDeps } from './turn.js';

export interface SlackCommandDeps extends SlackTurnDeps {
  commands: BotCommands;
  logger: BotLogger;
  media?: BotMedia;
}

/** A reply as a `response_url` body; menus become blocks bound to `owner` (the Slack user id). */
function replyBody(reply: BotReply, t: Messages, owner: string): { text: string; blocks?: unknown[] } {
  const text = markdownToMrkdwn(reply.text);
  if (!reply.menu) return { text };
  const blocks =
    reply.menu.kind === 'model'
      ? modelPickerBlocks(reply.menu.models, reply.menu.currentId, reply.text, owner)
      : reply.menu.kind === 'lang'
        ? languagePickerBlocks(reply.text, owner)
        : deleteConfirmBlocks(t, owner);
  return { text, blocks };
}

/**
 * A file for one person (the data export): a `response_url` cannot carry files, so it is shared
 * in the app's direct message with them (conversations.open), never in the channel.
 */
async function sendFilePrivately(
  client: WebClient,
  userId: string,
  file: NonNullable<BotReply['file']>,
  comment: string,
): Promise<void> {
  const opened = await client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('Slack opened no direct message');
  await uploadSlackFiles(client, { channel }, [{ filename: file.filename, data: file.data }], comment);
}

/**
 * `/aiport <subcommand> [args]`: acknowledged at once (silently), then answered through
 * `response_url`, visible only to the person who asked. `/aiport chat TEXT` starts a chat turn in
 * a thread of the channel. Menu choices (model, language) come back as block actions.
 */
export function registerSlashCommand(app: App, deps: SlackCommandDeps): void {
  app.command('/aiport', async ({ command, ack, respond, client }) => {
    await ack();
    const user = await identifySlackUser(deps.chat, command.team_id, command.user_id);
    const t = messagesOf(user);
    const parsed = parseCommand(command.text || 'help');
    try {
      if (!parsed) return void (await respond({ response_type: 'ephemeral', text: t.help() }));
      if (parsed.name === 'chat') {
        if (parsed.args === '') return void (await respond({ response_type: 'ephemeral', text: t.help() }));
        const root = await client.chat.postMessage({
          channel: command.channel_id,
          text: `<@${command.user_id}>: ${parsed.args}`,
        });
        await runSlackTurn(
          client,
          {
            teamId: command.team_id,
            channel: command.channel_id,
            threadTs: root.ts!,
            userId: command.user_id,
          },
          parsed.args,
          deps,
        );
        return;
      }
      if (parsed.name === 'image' || parsed.name === 'video') {
        const kind = parsed.name;
        if (parsed.args === '' || !deps.media) {
          const text = parsed.args === '' ? t.promptMissing({ command: kind }) : t.modelUnavailable({});
          return void (await respond({ response_type: 'ephemeral', text }));
        }
        deps.chat.assertActive(user);
        // The result is shared in a thread under the request, by the delivery worker.
        const root = await client.chat.postMessage({
          channel: command.channel_id,
          text: `<@${command.user_id}>: /${kind} ${parsed.args}`,
        });
        // The status notice in the thread: progress edits it, the result replaces it.
        const working = await client.chat.postMessage({
          channel: command.channel_id,
          thread_ts: root.ts!,
          text: kind === 'image' ? t.imageWorking() : t.videoQueued(),
        });
        const base = {
          accountId: user.account.id,
          channel: 'slack' as const,
          prompt: parsed.args,
          replyTo: {
            platform: 'slack' as const,
            chatId: command.channel_id,
            threadId: root.ts!,
            userId: command.user_id,
            locale: user.account.locale,
            ...(working.ts ? { workingMessageTs: working.ts } : {}),
          },
        };
        try {
          if (kind === 'image') await deps.media.submitImage(base);
          else await deps.media.submitVideo(base);
        } catch (error) {
          // Nothing will come: the public request and its notice go, the reason is told privately.
          for (const ts of [working.ts, root.ts]) {
            if (ts) await client.chat.delete({ channel: command.channel_id, ts }).catch(() => undefined);
          }
          deps.logger.warn(errorFields(error), 'slack media failed');
          await respond({ response_type: 'ephemeral', text: errorMessage(error, t, kind) });
          return;
        }
        await respond({
          response_type: 'ephemeral',
          text: kind === 'image' ? t.imageWorking() : t.videoQueued(),
        });
        return;
      }
      const reply = await deps.commands.execute({
        name: parsed.name,
        args: parsed.args,
        user,
        platform: 'slack',
        chatKey: `${command.team_id}:${command.channel_id}`,
      });
      if (reply.file) {
        await sendFilePrivately(client, command.user_id, reply.file, markdownToMrkdwn(reply.text));
        await respond({ response_type: 'ephemeral', text: markdownToMrkdwn(t.sentPrivately()) });
        return;
      }
      // Every command's answer is ephemeral: only the person who typed it sees it.
      await respond({
        response_type: 'ephemeral',
        ...replyBody(reply, t, command.user_id),
      } as Parameters<RespondFn>[0]);
    } catch (error) {
      deps.logger.warn(errorFields(error), 'slack command failed');
      await respond({ response_type: 'ephemeral', text: errorMessage(error, t) }).catch(() => undefined);
    }
  });

  app.action(new RegExp(`^${CHOICE_ACTION_PREFIX}-`), async ({ ack, body, action, respond }) => {
    await ack();
    const value =
      'selected_option' in action && action.selected_option
        ? action.selected_option.value
        : 'value' in action
          ? action.value
          : undefined;
    const choice = decodeChoice(typeof value === 'string' ? value : undefined);
    const teamId = body.team?.id;
    const channel = 'channel' in body && body.channel ? body.channel.id : undefined;
    if (!choice || !teamId) return;
    const user = await identifySlackUser(deps.chat, teamId, body.user.id);
    if (!pressedByOwner(choice, body.user.id)) {
      // Only the presser sees this, and the owner's menu stays as it was.
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: markdownToMrkdwn(messagesOf(user).notYourButton()),
      });
      return;
    }
    const reply = await deps.commands.execute({
      name: choice.kind,
      args: choiceArgs(choice),
      user,
      platform: 'slack',
      chatKey: `${teamId}:${channel ?? 'direct'}`,
    });
    await respond({ replace_original: true, text: markdownToMrkdwn(reply.text) });
  });
}
