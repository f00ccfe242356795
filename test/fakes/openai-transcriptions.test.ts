import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../core/providers/shared/http.js';
import { createOpenAITranscriptionProvider } from '../../core/providers/transcription/index.js';
import { measureAudioSeconds } from '../../core/transcription/index.js';
import { oggOpusVoice, wavSpeech } from './audio-samples.js';
import { FAKE_OPENAI_KEY, type FakeOpenAI, startFakeOpenAI } from './openai.js';

/** The `openai` SDK against the fake proves the fake speaks the published format; then our provider against it. */
let fake: FakeOpenAI;
let client: OpenAI;
const http = createHttpClient();

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: FAKE_OPENAI_KEY, baseURL: `${fake.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
  await http.close();
});

const voice = oggOpusVoice({ seconds: 7, spoken: 'halo apa kabar' });

describe('OpenAI transcription fake, driven by the openai SDK', () => {
  it('hears an Ogg Opus voice note and reports usage as each model family does', async () => {
    const mini = await client.audio.transcriptions.create({
      file: await toFile(voice, 'voice.ogg', { type: 'audio/ogg' }),
      model: 'gpt-4o-mini-transcribe',
    });
    expect(mini.text).toBe('halo apa kabar');
    expect(mini.usage).toMatchObject({ type: 'tokens', output_tokens: 3 });
    const whisper = await client.audio.transcriptions.create({
      file: await toFile(wavSpeech(3), 'note.wav', { type: 'audio/wav' }),
      model: 'whisper-1',
    });
    expect(whisper.usage).toEqual({ type: 'duration', seconds: 3 });
  });

  it('refuses what OpenAI refuses: .oga on gpt-4o models, bytes that are no audio, a wrong key', async () => {
    const oga = client.audio.transcriptions.create({
      file: await toFile(voice, 'file_1.oga', { type: 'audio/ogg' }),
      model: 'gpt-4o-mini-transcribe',
    });
    await expect(oga).rejects.toMatchObject({ status: 400, code: 'unsupported_value' });
    const junk = client.audio.transcriptions.create({
      file: await toFile(new TextEncoder().encode('not audio at all, sorry'), 'voice.ogg'),
      model: 'gpt-4o-mini-transcribe',
    });
    await expect(junk).rejects.toMatchObject({ status: 400, param: 'file' });
    const stranger = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    const denied = stranger.audio.transcriptions.create({
      file: await toFile(voice, 'voice.ogg'),
      model: 'whisper-1',
    });
    await expect(denied).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });
});

describe('our OpenAI transcription provider', () => {
  const real = () =>
    createOpenAITranscriptionProvider(
      { id: 'openai' },
      { baseUrl: `${fake.url}/v1`, apiKey: FAKE_OPENAI_KEY, http },
    );

  it('sends the file as multipart with its name and type, and reads text and usage', async () => {
    const result = await real().transcribe({
      model: 'whisper-1',
      audio: { bytes: voice, fileName: 'voice.ogg', contentType: 'audio/ogg' },
      language: 'id',
    });
    expect(result).toEqual({ text: 'halo apa kabar', seconds: 7 });
    const sent = fake.requests.at(-1)!;
    expect(String(sent.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent.rawBytes.includes(Buffer.from('name="language"'))).toBe(true);
  });

  it('turns 429 and 500 into retryable errors and a 400 into the caller’s', async () => {
    const audio = { bytes: voice, fileName: 'voice.ogg', contentType: 'audio/ogg' };
    fake.enqueue({ status: 429 });
    await expect(real().transcribe({ model: 'whisper-1', audio })).rejects.toMatchObject({
      status: 429,
      retryable: true,
    });
    fake.enqueue({ status: 500 });
    await expect(real().transcribe({ model: 'whisper-1', audio })).rejects.toMatchObject({ status: 500 });
    const junk = { ...audio, bytes: new Uint8Array(64) };
    await expect(real().transcribe({ model: 'whisper-1', audio: junk })).rejects.toMatchObject({
      status: 400,
      retryable: false,
    });
  });
});

describe('measured durations', () => {
  it('counts Opus packets, not the granule position a file claims', () => {
    expect(measureAudioSeconds(voice)).toBeCloseTo(7 - 312 / 48_000, 5);
    const liar = oggOpusVoice({ seconds: 30, spoken: 'x', claimedSeconds: 2 });
    expect(measureAudioSeconds(liar)).toBeGreaterThan(29.9);
    expect(measureAudioSeconds(wavSpeech(4))).toBe(4);
    expect(measureAudioSeconds(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });
});
