import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AllFakes } from './all-fakes.js';
import { discordInteraction } from './discord.js';
import { listenPreferring } from './front-door.js';
import { PLAYGROUND_PAGE } from './playground-page.js';
import { SlackInbound } from './slack.js';

/**
 * The playground: a web page where a person plays the other side of every platform against a
 * running AIport. It speaks to AIport only through the platform fakes and their real wire formats:
 * Telegram updates queued for the bot's long polling, Slack events and button presses signed with
 * the signing secret, Discord interactions signed with the application key, and bank mutations
 * that the fake Moota signs and delivers to `/webhooks/moota`.
 */

/** The person at the keyboard, the same on every platform. */
export const PLAYGROUND_USER = {
  telegramId: 5_550_001,
  name: 'Playground',
  slackUser: 'U0PLAYER',
  slackChannel: 'D0PLAYGROUND',
  discordUser: '200000000000000777',
};

interface SentByPerson {
  /** Number of bot messages that existed when the person sent this (orders the timeline). */
  after: number;
  text: string;
}

interface DiscordExchange {
  token: string;
  command: string;
  /** The app's HTTP answer to the interaction (initial response), components included. */
  answer: unknown;
  status: number;
}

export interface Playground {
  url: string;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const parsed = text ? (JSON.parse(text) as unknown) : {};
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const text = (value: unknown, max = 4000): string =>
  typeof value === 'string' ? value.slice(0, max) : String(value ?? '').slice(0, max);

export async function startPlayground(
  fakes: AllFakes,
  options: { aiportUrl: string; port?: number },
): Promise<Playground> {
  const aiport = options.aiportUrl.replace(/\/+$/, '');
  const slackInbound = new SlackInbound(fakes.slackSigningSecret, `${aiport}/slack/events`);
  const me = PLAYGROUND_USER;
  const telegramSent: SentByPerson[] = [];
  const slackSent: { ts: string; text: string; after: number }[] = [];
  const discordSent: DiscordExchange[] = [];
  const transfers: { amount: string; note: string; status: number; answer: string }[] = [];
  let sequence = 0;
  const slackTs = () => `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;

  const telegramState = () => {
    const transcript = fakes.telegram.transcript(me.telegramId);
    return {
      sent: telegramSent,
      messages: transcript.messages.map((m) => ({
        id: m.messageId,
        kind: m.kind,
        text: m.text,
        media: m.file ? `/media/telegram/${m.messageId}` : undefined,
        buttons: inlineButtons(m.replyMarkup),
      })),
    };
  };

  // A Slack DM is one continuing conversation: the bot answers at the top level of the DM, so each
  // message's replies are the top-level posts between it and the next message (plus any thread).
  const slackState = () => {
    const posted = fakes.slack.transcript(me.slackChannel);
    return slackSent.map((sent, index) => {
      const until = slackSent[index + 1]?.after ?? posted.length;
      const replies = [
        ...posted.slice(sent.after, until),
        ...fakes.slack.transcript(me.slackChannel, sent.ts),
      ];
      return {
        ts: sent.ts,
        text: sent.text,
        replies: replies.map((m) => ({
          ts: m.ts,
          text: m.text,
          files: m.files.map((f) => ({ name: f.filename, url: `/media/slack/${f.id}` })),
          buttons: slackButtons(m.blocks),
        })),
      };
    });
  };

  const discordState = () =>
    discordSent.map((exchange) => {
      const transcript = fakes.discord.transcript(exchange.token);
      const messages = [transcript.original, ...transcript.followUps].filter((m) => m && !m.deleted);
      return {
        command: exchange.command,
        status: exchange.status,
        answer: describeDiscordAnswer(exchange.answer),
        messages: messages.map((m, index) => ({
          text: m!.content,
          files: m!.attachments.map((a, n) => ({
            name: a.filename,
            contentType: a.contentType,
            url: `/media/discord/${encodeURIComponent(exchange.token)}/${index}/${n}`,
          })),
        })),
      };
    });

  async function telegramMessage(body: Record<string, unknown>) {
    const words = text(body['text']);
    if (!words.trim()) return { error: 'type a message' };
    telegramSent.push({ after: fakes.telegram.transcript(me.telegramId).messages.length, text: words });
    const command = /^\/\w+/.exec(words);
    fakes.telegram.pushUpdate({
      message: {
        message_id: 100_000 + ++sequence,
        date: Math.floor(Date.now() / 1000),
        chat: { id: me.telegramId, type: 'private', first_name: me.name },
        from: { id: me.telegramId, is_bot: false, first_name: me.name, language_code: 'id' },
        text: words,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    });
    return { ok: true };
  }

  function telegramPress(body: Record<string, unknown>) {
    const messageId = Number(body['messageId']);
    fakes.telegram.pushUpdate({
      callback_query: {
        id: `cb-${++sequence}`,
        from: { id: me.telegramId, is_bot: false, first_name: me.name, language_code: 'id' },
        chat_instance: 'playground',
        data: text(body['data'], 64),
        message: {
          message_id: messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: me.telegramId, type: 'private', first_name: me.name },
        },
      },
    });
    return { ok: true };
  }

  async function slackMessage(body: Record<string, unknown>) {
    const words = text(body['text']);
    if (!words.trim()) return { error: 'type a message' };
    const ts = slackTs();
    slackSent.push({ ts, text: words, after: fakes.slack.transcript(me.slackChannel).length });
    const answer = await slackInbound.event({
      type: 'message',
      channel_type: 'im',
      channel: me.slackChannel,
      user: me.slackUser,
      text: words,
      ts,
    });
    return { status: answer.status };
  }

  async function slackPress(body: Record<string, unknown>) {
    const answer = await slackInbound.interaction({
      type: 'block_actions',
      user: { id: me.slackUser, username: 'playground', team_id: 'T0FAKE' },
      api_app_id: 'A0FAKE',
      team: { id: 'T0FAKE', domain: 'fake' },
      channel: { id: me.slackChannel, name: 'directmessage' },
      container: { type: 'message', message_ts: text(body['ts']), channel_id: me.slackChannel },
      message: { ts: text(body['ts']), text: '' },
      trigger_id: `${++sequence}.playground`,
      response_url: fakes.slack.createResponseUrl(),
      actions: [
        {
          type: 'button',
          action_id: text(body['actionId'], 255),
          block_id: 'playground',
          value: text(body['value'], 2000),
          action_ts: slackTs(),
        },
      ],
    });
    return { status: answer.status };
  }

  /** `/chat halo` becomes the slash command `chat` with its first option set to `halo`. */
  async function discordCommand(body: Record<string, unknown>) {
    const words = text(body['text']).trim();
    const match = /^\/?(\w+)\s*([\s\S]*)$/.exec(words);
    if (!match) return { error: 'type a command such as /chat halo' };
    const [, name, rest] = match as unknown as [string, string, string];
    const registered = [...fakes.discord.commands.values()].flat();
    const definition = registered.find((c) => c['name'] === name) as
      | { options?: { name: string; type: number }[] }
      | undefined;
    if (!definition) {
      return {
        error: `no slash command "${name}" is registered: run \`npm run cli -- discord:register\` with the fakes' exports`,
      };
    }
    const first = definition.options?.[0];
    const options =
      first && rest
        ? [{ name: first.name, type: first.type, value: first.type === 4 ? Number(rest) : rest }]
        : [];
    return deliverDiscord(
      discordInteraction({
        applicationId: fakes.discord.applicationId,
        name,
        options,
        userId: me.discordUser,
      }),
      words,
    );
  }

  async function discordPress(body: Record<string, unknown>) {
    const base = discordInteraction({
      applicationId: fakes.discord.applicationId,
      name: 'component',
      userId: me.discordUser,
    });
    const values = Array.isArray(body['values']) ? body['values'].map((v) => text(v, 100)) : undefined;
    return deliverDiscord(
      {
        ...base,
        type: 3,
        message: { id: fakes.discord.nextId(), content: '', channel_id: base['channel_id'] },
        data: {
          custom_id: text(body['customId'], 100),
          component_type: values ? 3 : 2,
          ...(values ? { values } : {}),
        },
      },
      `pressed ${text(body['label'], 80)}`,
    );
  }

  async function deliverDiscord(interaction: Record<string, unknown> & { token: string }, command: string) {
    // Signed as Discord signs; a 200 JSON answer is the initial response, as Discord takes it.
    const raw = JSON.stringify(interaction);
    const response = await fetch(`${aiport}/discord/interactions`, {
      method: 'POST',
      headers: fakes.discordKeys.headers(raw),
      body: raw,
    });
    const answerText = await response.text();
    let answer: unknown = answerText;
    try {
      answer = JSON.parse(answerText);
    } catch {}
    const type = (answer as { type?: unknown } | undefined)?.type;
    if (response.status === 200 && typeof type === 'number' && type !== 1) {
      try {
        fakes.discord.recordInitialResponse(interaction.token, answer as Record<string, unknown>);
      } catch {
        // A component update (type 7) edits a message of an earlier interaction: shown from `answer`.
      }
    }
    discordSent.push({ token: interaction.token, command, answer, status: response.status });
    return { status: response.status };
  }

  async function transfer(body: Record<string, unknown>) {
    const amount = text(body['amount'], 20).replace(/[^\d.]/g, '');
    if (!amount || Number(amount) <= 0) return { error: 'amount in rupiah, e.g. 50123' };
    const note = text(body['note'], 200);
    const mutation = fakes.moota.addMutation({
      amount,
      type: 'CR',
      description: note || 'TRANSFER',
      note,
      date: new Date().toISOString().slice(0, 19).replace('T', ' '),
    });
    const delivery = await fakes.moota.deliver(`${aiport}/webhooks/moota`, [mutation]);
    const record = { amount, note, status: delivery.status, answer: delivery.responseText.slice(0, 300) };
    transfers.push(record);
    return record;
  }

  function media(res: ServerResponse, path: string): boolean {
    const telegram = /^\/media\/telegram\/(\d+)$/.exec(path);
    const slack = /^\/media\/slack\/(\w+)$/.exec(path);
    const discord = /^\/media\/discord\/([^/]+)\/(\d+)\/(\d+)$/.exec(path);
    let file: { bytes?: Buffer; contentType?: string; reference?: string } | undefined;
    if (telegram) {
      const message = fakes.telegram
        .transcript(me.telegramId)
        .messages.find((m) => m.messageId === Number(telegram[1]));
      file = message?.file;
    } else if (slack) {
      const found = fakes.slack.files.get(slack[1]!);
      file = found?.bytes ? { bytes: found.bytes } : undefined;
    } else if (discord) {
      const transcript = fakes.discord.transcript(decodeURIComponent(discord[1]!));
      const messages = [transcript.original, ...transcript.followUps].filter((m) => m && !m.deleted);
      file = messages[Number(discord[2])]?.attachments[Number(discord[3])];
    } else return false;
    if (file?.bytes) {
      res.writeHead(200, {
        'content-type': file.contentType ?? sniff(file.bytes),
        'content-length': file.bytes.length,
      });
      res.end(file.bytes);
    } else if (file?.reference && /^https?:\/\//.test(file.reference)) {
      res.writeHead(302, { location: file.reference });
      res.end();
    } else {
      send(res, 404, { error: 'no such file' });
    }
    return true;
  }

  const routes: Record<string, (body: Record<string, unknown>) => Promise<unknown> | unknown> = {
    '/api/telegram/message': telegramMessage,
    '/api/telegram/press': telegramPress,
    '/api/slack/message': slackMessage,
    '/api/slack/press': slackPress,
    '/api/discord/command': discordCommand,
    '/api/discord/press': discordPress,
    '/api/bank/transfer': transfer,
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://playground').pathname;
    const run = async () => {
      if (req.method === 'GET' && path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(PLAYGROUND_PAGE);
        return;
      }
      if (req.method === 'GET' && path === '/api/state') {
        send(res, 200, {
          aiport,
          bank: { accounts: 'BCA 1234567890 (PT AIport Playground)', transfers },
          telegram: telegramState(),
          slack: slackState(),
          discord: discordState(),
        });
        return;
      }
      if (req.method === 'GET' && media(res, path)) return;
      const route = routes[path];
      if (req.method !== 'POST' || !route) return send(res, 404, { error: 'not found' });
      send(res, 200, await route(await readJson(req)));
    };
    run().catch((error: unknown) => {
      // AIport not started yet is the usual cause: say so instead of failing silently.
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) send(res, 502, { error: `${message} (is AIport running at ${aiport}?)` });
    });
  });
  await listenPreferring(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Telegram inline keyboards: `{inline_keyboard: [[{text, callback_data | url}]]}`. */
function inlineButtons(markup: unknown): { text: string; data?: string; url?: string }[] {
  const rows = (markup as { inline_keyboard?: unknown[][] } | undefined)?.inline_keyboard ?? [];
  return rows.flat().map((b) => {
    const button = b as { text?: string; callback_data?: string; url?: string };
    return {
      text: button.text ?? '',
      ...(button.callback_data ? { data: button.callback_data } : {}),
      ...(button.url ? { url: button.url } : {}),
    };
  });
}

/** Buttons of Slack `actions` blocks. */
function slackButtons(blocks: unknown): { text: string; actionId: string; value: string }[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.flatMap((block) => {
    const elements = (block as { type?: string; elements?: unknown[] }).elements ?? [];
    if ((block as { type?: string }).type !== 'actions') return [];
    return elements.map((e) => {
      const element = e as { action_id?: string; value?: string; text?: { text?: string } };
      return {
        text: element.text?.text ?? '',
        actionId: element.action_id ?? '',
        value: element.value ?? '',
      };
    });
  });
}

/** The initial answer to an interaction: its text and its buttons and menus. */
function describeDiscordAnswer(answer: unknown) {
  const data = (answer as { data?: { content?: string; components?: unknown[] } } | undefined)?.data;
  const controls = (data?.components ?? []).flatMap(
    (row) => (row as { components?: unknown[] }).components ?? [],
  );
  return {
    text: data?.content ?? '',
    buttons: controls.map((c) => {
      const control = c as {
        type?: number;
        custom_id?: string;
        label?: string;
        options?: { label: string; value: string }[];
      };
      return {
        customId: control.custom_id ?? '',
        label: control.label ?? '',
        options: control.type === 3 ? (control.options ?? []) : undefined,
      };
    }),
  };
}

function sniff(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF') return 'image/webp';
  return 'application/octet-stream';
}
