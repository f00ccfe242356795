import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_GEMINI_KEY, type FakeGemini, startFakeGemini } from './gemini.js';

/** Raw wire checks of the Gemini fake (no official client is installed). */
let fake: FakeGemini;

beforeAll(async () => {
  fake = await startFakeGemini();
});
afterAll(() => fake.close());

const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'halo apa kabar' }] }] });
const post = (path: string, headers: Record<string, string> = { 'x-goog-api-key': FAKE_GEMINI_KEY }) =>
  fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('Gemini fake', () => {
  it('frames the SSE stream with CRLF, no sentinel, cumulative usage on every chunk', async () => {
    const res = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await res.text();
    const events = text.split('\r\n\r\n').filter((e) => e !== '');
    expect(events).toHaveLength(4);
    expect(text).not.toContain('[DONE]');
    const chunks = events.map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(chunks.map((c) => c.usageMetadata.candidatesTokenCount)).toEqual([1, 2, 3, 4]);
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP');
  });

  it('answers streamGenerateContent without alt=sse as a JSON array', async () => {
    const res = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    const chunks = (await res.json()) as unknown[];
    expect(chunks).toHaveLength(4);
  });

  it('accepts the key as ?key=, refuses a missing key (403) and a wrong key (400 API_KEY_INVALID)', async () => {
    expect((await post(`/v1beta/models/m:generateContent?key=${FAKE_GEMINI_KEY}`, {})).status).toBe(200);
    const missing = await post('/v1beta/models/m:generateContent', {});
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: { status: string } }).error.status).toBe('PERMISSION_DENIED');
    const wrong = await post('/v1beta/models/m:generateContent', { 'x-goog-api-key': 'nope' });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] },
    });
  });

  it('blocks a prompt with HTTP 200, a block reason and no candidates', async () => {
    fake.enqueue({ promptBlocked: true });
    const res = await post('/v1beta/models/m:generateContent');
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer.candidates).toBeUndefined();
    expect(answer.promptFeedback).toMatchObject({ blockReason: 'PROHIBITED_CONTENT' });
    expect(answer.usageMetadata).toEqual({ promptTokenCount: 3, totalTokenCount: 3 });
  });

  it('sends 429 with a RetryInfo detail', async () => {
    fake.enqueue({ status: 429 });
    const res = await post('/v1beta/models/m:generateContent');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({
      error: { status: 'RESOURCE_EXHAUSTED', details: [{ retryDelay: '34.4s' }] },
    });
  });
});
