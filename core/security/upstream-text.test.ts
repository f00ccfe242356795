import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanUpstreamText } from './upstream-text.js';

describe('cleanUpstreamText', () => {
  it('names no provider and shows no key, URL or address', () => {
    const cases: Array<[string, RegExp]> = [
      [
        'openai returned HTTP 401: Incorrect API key provided: sk-proj-********************abcd. You can find your API key at https://platform.openai.com/account/api-keys.',
        /^upstream returned HTTP 401: Incorrect API key provided: \[redacted\] You can find your API key at \[url\]$/,
      ],
      ['anthropic returned HTTP 529: Overloaded', /^upstream returned HTTP 529: Overloaded$/],
      [
        'OpenAI-compatible: connect ECONNREFUSED 10.0.3.7:8000',
        /^upstream: connect ECONNREFUSED \[address\]$/,
      ],
      [
        'RunningHub: task failed (key 3f9a2c7e1b4d5a6f8e9d0c1b2a3f4e5d6c7b)',
        /^upstream: task failed \(key \[redacted\]\)$/,
      ],
      [
        'Google AI: API key not valid. AIzaSyD-1234567890abcdefg',
        /^upstream: API key not valid\. \[redacted\]$/,
      ],
    ];
    for (const [input, expected] of cases) expect(cleanUpstreamText(input)).toMatch(expected);
  });

  it('keeps model ids and ordinary words', () => {
    expect(cleanUpstreamText('models/gemini-2.0-flash is not found for API version v1beta')).toBe(
      'models/gemini-2.0-flash is not found for API version v1beta',
    );
    expect(cleanUpstreamText('RunningHub returned TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET')).toBe(
      'upstream returned TASK_CREATE_FAILED_BY_NOT_ENOUGH_WALLET',
    );
    expect(cleanUpstreamText("Model 'deepseek-chat' does not support images")).toBe(
      "Model 'deepseek-chat' does not support images",
    );
  });

  it('never lets a key through, wherever it sits in the text', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.stringMatching(/^[A-Za-z0-9]{20,40}$/),
        fc.string(),
        (before, body, after) => {
          const key = `sk-ant-${body}`;
          expect(cleanUpstreamText(`${before} ${key} ${after}`)).not.toContain(key);
        },
      ),
    );
  });
});
