import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_GEMINI_IMAGES_KEY, type FakeGeminiImages, startFakeGeminiImages } from './gemini-images.js';

let fake: FakeGeminiImages;
beforeAll(async () => {
  fake = await startFakeGeminiImages();
});
afterAll(() => fake.close());

interface Answer {
  candidates?: Array<{
    content: { parts: Array<{ text?: string; inlineData?: { mimeType: string } }> };
    finishReason: string;
  }>;
  promptFeedback?: { blockReason: string };
  usageMetadata?: { candidatesTokenCount: number };
  error?: { status: string };
}

async function generate(body: unknown, key = FAKE_GEMINI_IMAGES_KEY) {
  const res = await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash-image:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Answer };
}

const prompt = { contents: [{ role: 'user', parts: [{ text: 'a kite' }] }] };

describe('fake Gemini images', () => {
  it('answers an image part only when IMAGE is a response modality', async () => {
    const textOnly = await generate(prompt);
    expect(textOnly.json.candidates?.[0]?.content.parts).toEqual([{ text: 'I can only describe it.' }]);
    const withImage = await generate({
      ...prompt,
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'] },
    });
    const parts = withImage.json.candidates?.[0]?.content.parts;
    expect(parts?.[1]?.inlineData?.mimeType).toBe('image/png');
    expect(withImage.json.candidates?.[0]?.finishReason).toBe('STOP');
    expect(withImage.json.usageMetadata?.candidatesTokenCount).toBe(1296);
  });

  it('speaks Google errors, blocked prompts and safety stops', async () => {
    expect(await generate(prompt, 'wrong')).toMatchObject({
      status: 400,
      json: { error: { status: 'INVALID_ARGUMENT' } },
    });
    fake.fail(
      { kind: 'status', status: 429 },
      { kind: 'blockPrompt' },
      { kind: 'finish', finishReason: 'IMAGE_SAFETY' },
    );
    expect(await generate(prompt)).toMatchObject({
      status: 429,
      json: { error: { status: 'RESOURCE_EXHAUSTED' } },
    });
    const blocked = await generate(prompt);
    expect(blocked.status).toBe(200);
    expect(blocked.json.promptFeedback?.blockReason).toBe('PROHIBITED_CONTENT');
    expect(blocked.json.candidates).toBeUndefined();
    const stopped = await generate(prompt);
    expect(stopped.json.candidates?.[0]).toMatchObject({
      finishReason: 'IMAGE_SAFETY',
      content: { parts: [] },
    });
  });
});
