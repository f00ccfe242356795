import { FAKE_ANTHROPIC_KEY, startFakeAnthropic } from './anthropic.js';
import { FAKE_DEEPSEEK_KEY, startFakeDeepSeek } from './deepseek.js';
import { FakeDiscord } from './discord.js';
import { FAKE_GEMINI_KEY, startFakeGemini } from './gemini.js';
import { startFakeMoota } from './moota.js';
import { FAKE_OPENAI_KEY, startFakeOpenAI } from './openai.js';
import { FAKE_RUNNINGHUB_KEY, startFakeRunningHub } from './runninghub.js';
import { FakeSlack } from './slack.js';
import { FakeTelegram } from './telegram.js';

/**
 * `npm run fakes`: every external service as a local fake, for trying AIport without real accounts.
 * Prints the environment that points `npm start` at them. Loopback only; Ctrl-C stops them.
 */
const openai = await startFakeOpenAI({ port: 4010 });
const anthropic = await startFakeAnthropic({ port: 4011 });
const gemini = await startFakeGemini({ port: 4012 });
const deepseek = await startFakeDeepSeek({ port: 4013 });
const runninghub = await startFakeRunningHub();
const moota = await startFakeMoota();
const telegram = await FakeTelegram.start();
const slack = await FakeSlack.start();
const discord = await FakeDiscord.start();

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
  TELEGRAM_BOT_TOKEN: telegram.token,
  TELEGRAM_API_ROOT: telegram.apiRoot,
  SLACK_BOT_TOKEN: slack.token,
  SLACK_API_URL: slack.apiUrl,
  DISCORD_APPLICATION_ID: discord.applicationId,
  DISCORD_BOT_TOKEN: discord.botToken,
  DISCORD_API_BASE: discord.apiBase,
};
process.stdout.write('Fakes running. Start AIport against them with:\n\n');
for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}=${value}\n`);
process.stdout.write('\nthen: npm start\n');

const stop = async () => {
  await Promise.allSettled(
    [openai, anthropic, gemini, deepseek, runninghub, moota, telegram, slack, discord].map((f) => f.close()),
  );
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
