import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ANTHROPIC_KEY, type FakeAnthropic, startFakeAnthropic } from '../../test/fakes/anthropic.js';
import { FAKE_DEEPSEEK_KEY, type FakeDeepSeek, startFakeDeepSeek } from '../../test/fakes/deepseek.js';
import { FAKE_GEMINI_KEY, type FakeGemini, startFakeGemini } from '../../test/fakes/gemini.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from '../../test/fakes/openai.js';
import {
  FAKE_RUNNINGHUB_KEY,
  type FakeRunningHub,
  startFakeRunningHub,
} from '../../test/fakes/runninghub.js';
import { createModelDirectories } from '../providers/model-directory.js';
import { createHttpClient } from '../providers/shared/http.js';
import { loadCatalog, parseCatalog } from './catalog.js';
import { checkCatalog, formatFinding } from './catalog-check.js';
import { PROVIDERS } from './catalog-schema.js';

/** The catalog check in CI: the shipped catalog against every provider's (fake) model list. */

let openai: FakeOpenAI;
let local: FakeOpenAI;
let anthropic: FakeAnthropic;
let gemini: FakeGemini;
let deepseek: FakeDeepSeek;
let runninghub: FakeRunningHub;
const http = createHttpClient({ headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000 });
const all = new Set(PROVIDERS);
const today = '2026-12-03';

beforeAll(async () => {
  [openai, local, anthropic, gemini, deepseek, runninghub] = await Promise.all([
    startFakeOpenAI(),
    startFakeOpenAI({ apiKey: null, models: [{ id: 'qwen2.5-7b-instruct' }, { id: 'bge-m3' }] }),
    startFakeAnthropic(),
    startFakeGemini(),
    startFakeDeepSeek(),
    startFakeRunningHub({
      workflows: {
        '1904136902449209346': { outputs: ['png'] },
        '1947926545896734721': { outputs: ['mp4'] },
        '1947926545896734722': { outputs: ['mp4'] },
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([openai, local, anthropic, gemini, deepseek, runninghub].map((fake) => fake.close()));
  await http.close();
});

const directories = (overrides: { geminiKey?: string } = {}) =>
  createModelDirectories(
    {
      openai: { baseUrl: `${openai.url}/v1`, apiKey: FAKE_OPENAI_KEY },
      openaiCompatible: { baseUrl: `${local.url}/v1` },
      anthropic: { baseUrl: anthropic.url, apiKey: FAKE_ANTHROPIC_KEY },
      gemini: { baseUrl: gemini.url, apiKey: overrides.geminiKey ?? FAKE_GEMINI_KEY },
      deepseek: { baseUrl: deepseek.url, apiKey: FAKE_DEEPSEEK_KEY },
      runninghub: { baseUrl: runninghub.url, apiKey: FAKE_RUNNINGHUB_KEY },
    },
    http,
  );

describe('catalog check', () => {
  it('finds every shipped route in its provider list, and reports the ones announced for shutdown', async () => {
    const findings = await checkCatalog(loadCatalog(undefined, all), directories(), { today });
    expect(findings.map(formatFinding)).toEqual([
      "retiring: gpt-4o-mini -> openai gpt-4o-mini: shuts down 2027-01-14 (openai's model list)",
      "retiring: gpt-4.1 -> openai gpt-4.1: shuts down 2027-01-14 (openai's model list)",
    ]);
  });

  it('reports gone, past-shutdown, legacy and unreachable routes, each with its reason', async () => {
    const stale = parseCatalog(
      {
        defaults: { chat: 'old-flash' },
        models: [
          {
            id: 'old-flash',
            kind: 'chat',
            price: chatPrice,
            routes: [{ provider: 'gemini', model: 'gemini-2.5-flash' }],
          },
          {
            id: 'ds',
            kind: 'chat',
            price: chatPrice,
            routes: [{ provider: 'deepseek', model: 'deepseek-v4-flash' }],
          },
          {
            id: 'dalle',
            kind: 'image',
            price: { per_image: 1 },
            routes: [{ provider: 'openai', model: 'dall-e-3' }],
          },
          {
            id: 'lite',
            kind: 'chat',
            price: chatPrice,
            routes: [{ provider: 'gemini', model: 'gemini-2.5-flash-lite' }],
          },
          {
            id: 'wf',
            kind: 'video',
            price: { per_video_second: 1 },
            routes: [
              {
                provider: 'runninghub',
                workflowId: '42',
                inputs: { prompt: { nodeId: '6', fieldName: 'text' } },
              },
            ],
          },
        ],
      },
      all,
    );
    expect((await checkCatalog(stale, directories(), { today })).map(formatFinding)).toEqual([
      "gone: old-flash -> gemini gemini-2.5-flash: not in gemini's model list",
      'legacy: ds -> deepseek deepseek-v4-flash: DeepSeek pricing page: a legacy name, its model is offline and requests are served by deepseek-flash',
      "gone: dalle -> openai dall-e-3: not in openai's model list",
      'gone: lite -> gemini gemini-2.5-flash-lite: shut down 2026-07-22 (Gemini deprecations page)',
      "gone: wf -> runninghub 42: not in runninghub's model list",
    ]);
    const unreachable = await checkCatalog(stale, directories({ geminiKey: 'wrong' }), { today });
    expect(unreachable[0]).toMatchObject({ modelId: 'old-flash', problem: 'unchecked' });
    expect(unreachable[0]!.detail).toMatch(/could not ask gemini: gemini returned HTTP 400/);
  });
});

const chatPrice = { input_per_mtok: 1, output_per_mtok: 1 };
