import { describe, expect, it } from 'vitest';
import type { ChatModel } from '../catalog/index.js';
import { boundHistory } from './history.js';
import { findBotModel, resolveBotModel } from './models.js';

const model = (id: string, name = id): ChatModel => ({
  id,
  name,
  kind: 'chat',
  routes: [],
  activeRoutes: [],
  maxOutputTokens: 1000,
  contextWindow: 8000,
  vision: false,
  tools: false,
  price: { inputPerMTokMrp: 1n, outputPerMTokMrp: 1n },
});

describe('resolveBotModel', () => {
  const offered = [model('a'), model('b'), model('c')];

  it('prefers the chat, then the person, then the default, each only while offered', () => {
    expect(resolveBotModel(offered, 'c', { conversation: 'a', account: 'b' }).id).toBe('a');
    expect(resolveBotModel(offered, 'c', { conversation: 'gone', account: 'b' }).id).toBe('b');
    expect(resolveBotModel(offered, 'c', { conversation: null, account: null }).id).toBe('c');
    expect(resolveBotModel(offered, 'not-offered', {}).id).toBe('a');
  });

  it('refuses when no model is offered', () => {
    expect(() => resolveBotModel([], 'a', {})).toThrow(/No chat model/);
  });

  it('finds a model by id or name, case-insensitively', () => {
    const named = [model('gpt-4o-mini', 'GPT-4o mini')];
    expect(findBotModel(named, ' GPT-4O-MINI ')?.id).toBe('gpt-4o-mini');
    expect(findBotModel(named, 'gpt-4o mini')?.id).toBe('gpt-4o-mini');
    expect(findBotModel(named, 'other')).toBeUndefined();
  });
});

describe('boundHistory', () => {
  it('keeps the newest messages within the budget, in order, starting with a user turn', () => {
    const newestFirst = [
      { role: 'assistant' as const, content: 'a3' },
      { role: 'user' as const, content: 'u3' },
      { role: 'assistant' as const, content: 'a2'.repeat(10) },
      { role: 'user' as const, content: 'u2' },
    ];
    expect(boundHistory(newestFirst, { maxMessages: 10, maxChars: 10, ephemeralTtlMs: 1 })).toEqual([
      { role: 'user', content: 'u3' },
      { role: 'assistant', content: 'a3' },
    ]);
    expect(boundHistory(newestFirst, { maxMessages: 3, maxChars: 1000, ephemeralTtlMs: 1 })).toEqual([
      { role: 'user', content: 'u3' },
      { role: 'assistant', content: 'a3' },
    ]);
  });
});
