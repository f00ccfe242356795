import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog/index.js';
import { CoreError } from '../errors.js';
import { parseSize, promptLimit, resolveImage, resolveVideo } from './media-request.js';

const catalog = parseCatalog(
  {
    defaults: { chat: 'c', image: 'img', video: 'vid' },
    models: [
      {
        id: 'c',
        kind: 'chat',
        price: { input_per_mtok: 1, output_per_mtok: 1 },
        routes: [{ provider: 'openai', model: 'x' }],
      },
      {
        id: 'img',
        kind: 'image',
        sizes: ['1024x1024', 'auto'],
        max_n: 4,
        price: { per_image: '650.5' },
        routes: [{ provider: 'openai', model: 'gpt-image-1' }],
      },
      {
        id: 'd3',
        kind: 'image',
        max_n: 1,
        price: { per_image: 1320 },
        routes: [{ provider: 'openai', model: 'dall-e-3' }],
      },
      {
        id: 'vid',
        kind: 'video',
        durations: [5, 10],
        price: { per_video_second: 1500 },
        routes: [
          { provider: 'runninghub', workflowId: 'w', inputs: { prompt: { nodeId: '1', fieldName: 'text' } } },
        ],
      },
      {
        id: 'i2v',
        kind: 'video',
        price: { per_video_second: 2000 },
        routes: [
          {
            provider: 'runninghub',
            workflowId: 'w2',
            inputs: {
              prompt: { nodeId: '1', fieldName: 'text' },
              image: { nodeId: '2', fieldName: 'image' },
            },
          },
        ],
      },
    ],
  },
  new Set(['openai', 'runninghub']),
);

function refusal(run: () => unknown): CoreError {
  try {
    run();
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('resolveImage', () => {
  it('holds the catalog price times n, exactly in milli-rupiah', () => {
    const resolved = resolveImage(catalog, { prompt: 'a cat', n: 3 });
    expect(resolved.model.id).toBe('img');
    expect(resolved.holdMrp).toBe(1_951_500n);
    expect(resolved.params).toEqual({ n: 3, size: '1024x1024' });
  });

  it('refuses sizes, n and prompts the model does not take, naming the field', () => {
    expect(refusal(() => resolveImage(catalog, { prompt: 'x', size: '512x512' })).details.param).toBe('size');
    expect(refusal(() => resolveImage(catalog, { prompt: 'x', n: 5 })).details.param).toBe('n');
    expect(refusal(() => resolveImage(catalog, { prompt: 'x', n: 1.5 })).details.param).toBe('n');
    expect(refusal(() => resolveImage(catalog, { prompt: '   ' })).details.param).toBe('prompt');
    expect(refusal(() => resolveImage(catalog, { model: 'd3', prompt: 'x'.repeat(4001) })).message).toMatch(
      /at most 4000/,
    );
    expect(refusal(() => resolveImage(catalog, { model: 'vid', prompt: 'x' })).code).toBe('model_not_found');
  });
});

describe('resolveVideo', () => {
  it('holds the price per second times the duration', () => {
    const resolved = resolveVideo(catalog, { prompt: 'waves', seconds: 10, hasImage: false });
    expect(resolved.holdMrp).toBe(15_000_000n);
    expect(resolved.params).toEqual({ seconds: 10, size: '1280x720' });
  });

  it('refuses durations not offered and images the workflow cannot take (or needs)', () => {
    expect(
      refusal(() => resolveVideo(catalog, { prompt: 'x', seconds: 7, hasImage: false })).details.param,
    ).toBe('seconds');
    expect(refusal(() => resolveVideo(catalog, { prompt: 'x', hasImage: true })).message).toMatch(
      /does not take/,
    );
    expect(
      refusal(() => resolveVideo(catalog, { model: 'i2v', prompt: 'x', hasImage: false })).message,
    ).toMatch(/needs an input image/);
  });
});

describe('helpers', () => {
  it('parses sizes and knows prompt limits', () => {
    expect(parseSize('1536x1024')).toEqual({ width: 1536, height: 1024 });
    expect(parseSize('auto')).toBeUndefined();
    expect(promptLimit([{ provider: 'openai', model: 'dall-e-2' }])).toBe(1000);
    expect(promptLimit([{ provider: 'runninghub', workflowId: 'w' }])).toBe(32_000);
  });
});
