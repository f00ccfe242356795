import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FAKE_ANTHROPIC_KEY, startFakeAnthropic } from './anthropic.js';
import { FAKE_DEEPSEEK_KEY, startFakeDeepSeek } from './deepseek.js';
import { DiscordInbound, FakeDiscord } from './discord.js';
import { startFrontDoor } from './front-door.js';
import { FAKE_GEMINI_KEY, startFakeGemini } from './gemini.js';
import { startFakeGeminiImages } from './gemini-images.js';
import { type FakeMoota, startFakeMoota } from './moota.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from './openai.js';
import { startFakeOpenAIImages } from './openai-images.js';
import { startFakeOpenAIVideos } from './openai-videos.js';
import { FAKE_RUNNINGHUB_KEY, type FakeOutputKind, startFakeRunningHub } from './runninghub.js';
import { FakeSlack } from './slack.js';
import { FakeTelegram } from './telegram.js';

export interface AllFakes {
  /** The variables that point AIport at the fakes, in print order. */
  env: Record<string, string>;
  telegram: FakeTelegram;
  slack: FakeSlack;
  slackSigningSecret: string;
  discord: FakeDiscord;
  /** Signs interactions with the key whose public half is DISCORD_PUBLIC_KEY (target set per call). */
  discordKeys: DiscordInbound;
  moota: FakeMoota;
  close(): Promise<void>;
}

interface CatalogFileShape {
  models: { kind: string; routes: { provider: string; workflowId?: string }[] }[];
}

/** RunningHub workflows of the catalog, each producing what its model kind promises. */
function runningHubWorkflows(catalogFile: string | URL): Record<string, { outputs: FakeOutputKind[] }> {
  const catalog = JSON.parse(readFileSync(catalogFile, 'utf8')) as CatalogFileShape;
  const workflows: Record<string, { outputs: FakeOutputKind[] }> = {};
  for (const model of catalog.models) {
    for (const route of model.routes) {
      if (route.provider !== 'runninghub' || !route.workflowId) continue;
      workflows[route.workflowId] = { outputs: [model.kind === 'video' ? 'mp4' : 'png'] };
    }
  }
  return workflows;
}

/**
 * Every external service as a local fake on free loopback ports: one OpenAI origin serving chat,
 * images and videos, one Gemini origin serving chat and images, Anthropic, DeepSeek, RunningHub
 * (the catalog's workflows), Moota, Telegram, Slack and Discord with fresh secrets.
 */
export async function startAllFakes(options: { catalogFile?: string | URL } = {}): Promise<AllFakes> {
  const catalogFile =
    options.catalogFile ?? new URL('../../core/catalog/default-catalog.json', import.meta.url);
  const openaiChat = await startFakeOpenAI();
  const openaiImages = await startFakeOpenAIImages({ apiKey: FAKE_OPENAI_KEY });
  const openaiVideos = await startFakeOpenAIVideos({ apiKey: FAKE_OPENAI_KEY });
  const openai = await startFrontDoor(
    [
      { test: (p) => p.startsWith('/v1/images/') || p.startsWith('/files/'), target: openaiImages.url },
      { test: (p) => p.startsWith('/v1/videos'), target: openaiVideos.url },
    ],
    openaiChat.url,
  );
  const geminiChat = await startFakeGemini();
  const geminiImages = await startFakeGeminiImages({ apiKey: FAKE_GEMINI_KEY });
  const gemini = await startFrontDoor(
    [
      {
        test: (p) => /^\/v1beta\/models\/[^/:]*image[^/:]*:generateContent/.test(p),
        target: geminiImages.url,
      },
    ],
    geminiChat.url,
  );
  const anthropic = await startFakeAnthropic();
  const deepseek = await startFakeDeepSeek();
  const runninghub = await startFakeRunningHub({ workflows: runningHubWorkflows(catalogFile) });
  const moota = await startFakeMoota();
  const telegram = await FakeTelegram.start();
  const slack = await FakeSlack.start();
  const discord = await FakeDiscord.start();
  const discordKeys = new DiscordInbound('http://unused/discord/interactions');
  const slackSigningSecret = randomBytes(16).toString('hex');

  const env = {
    OPENAI_API_KEY: FAKE_OPENAI_KEY,
    OPENAI_BASE_URL: `${openai.url}/v1`,
    ANTHROPIC_API_KEY: FAKE_ANTHROPIC_KEY,
    ANTHROPIC_BASE_URL: anthropic.url,
    GEMINI_API_KEY: FAKE_GEMINI_KEY,
    GEMINI_BASE_URL: gemini.url,
    DEEPSEEK_API_KEY: FAKE_DEEPSEEK_KEY,
    DEEPSEEK_BASE_URL: deepseek.url,
    RUNNINGHUB_API_KEY: FAKE_RUNNINGHUB_KEY,
    RUNNINGHUB_BASE_URL: runninghub.url,
    MOOTA_API_TOKEN: moota.token,
    MOOTA_BASE_URL: moota.url,
    MOOTA_WEBHOOK_SECRET: moota.webhookSecret,
    BANK_ACCOUNTS: 'BCA:1234567890:PT AIport Playground',
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slackSigningSecret,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_PUBLIC_KEY: discordKeys.publicKeyHex,
    DISCORD_BOT_TOKEN: discord.botToken,
    DISCORD_API_BASE: discord.apiBase,
  };
  const all = [
    openai,
    openaiChat,
    openaiImages,
    openaiVideos,
    gemini,
    geminiChat,
    geminiImages,
    anthropic,
    deepseek,
    runninghub,
    moota,
    telegram,
    slack,
    discord,
  ];
  return {
    env,
    telegram,
    slack,
    slackSigningSecret,
    discord,
    discordKeys,
    moota,
    async close() {
      await Promise.allSettled(all.map((f) => f.close()));
    },
  };
}
