import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../test/fakes/slack.js';
import { decodeChoice } from '../shared/choices.js';
import { id } from '../shared/i18n/index.js';
import { deleteConfirmBlocks, languagePickerBlocks, modelPickerBlocks } from './blocks.js';

let fake: FakeSlack;

beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake.close();
});

describe('Slack pickers', () => {
  it('builds a model menu with the current model preselected, posted as blocks', async () => {
    const blocks = modelPickerBlocks(
      [
        { id: 'gpt-4o-mini', name: 'GPT-4o mini' },
        { id: 'deepseek-chat', name: 'DeepSeek V3' },
      ],
      'deepseek-chat',
      id.chooseModel({ current: 'DeepSeek V3' }),
      'U0SARI',
    );
    const accessory = (
      blocks[0] as { accessory: { options: { value: string }[]; initial_option: { value: string } } }
    ).accessory;
    expect(decodeChoice(accessory.initial_option.value)).toEqual({
      kind: 'model',
      owner: 'U0SARI',
      modelId: 'deepseek-chat',
    });
    const client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await client.chat.postMessage({
      channel: 'C1',
      text: id.chooseModel({ current: 'x' }),
      blocks: blocks as never,
    });
    expect(fake.transcript('C1')[0]?.blocks).toEqual(blocks);
  });

  it('builds language and delete buttons whose values decode', () => {
    const [, actions] = languagePickerBlocks(id.languageChoose(), 'U0SARI') as [
      unknown,
      { elements: { value: string }[] },
    ];
    expect(actions.elements.map((e) => decodeChoice(e.value))).toEqual([
      { kind: 'lang', owner: 'U0SARI', language: 'id' },
      { kind: 'lang', owner: 'U0SARI', language: 'en' },
    ]);
    const [, del] = deleteConfirmBlocks(id, 'U0SARI') as [unknown, { elements: { style?: string }[] }];
    expect(del.elements[0]?.style).toBe('danger');
  });
});
