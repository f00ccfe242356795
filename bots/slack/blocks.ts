import { choiceFits, encodeChoice, LANGUAGE_LABELS, type ModelOption } from '../shared/choices.js';
import type { Messages } from '../shared/i18n/index.js';
import { escapeMrkdwn } from './markdown-to-mrkdwn.js';

/** Every AIport control's `action_id` starts with this; the value is an encoded Choice. */
export const CHOICE_ACTION_PREFIX = 'choice';
const MAX_OPTIONS = 100;

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Option = { text: PlainText; value: string };

/** A section with a model menu (Slack allows 100 options), the current model preselected. */
export function modelPickerBlocks(
  models: ModelOption[],
  currentId: string,
  prompt: string,
  owner: string,
): unknown[] {
  const options: Option[] = models
    .filter((m) => choiceFits({ kind: 'model', owner, modelId: m.id }))
    .slice(0, MAX_OPTIONS)
    .map((m) => ({
      text: plain(m.name.slice(0, 75)),
      value: encodeChoice({ kind: 'model', owner, modelId: m.id }),
    }));
  const current = options.find((o) => o.value === encodeChoice({ kind: 'model', owner, modelId: currentId }));
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: escapeMrkdwn(prompt) },
      accessory: {
        type: 'static_select',
        action_id: `${CHOICE_ACTION_PREFIX}-model`,
        options,
        ...(current ? { initial_option: current } : {}),
      },
    },
  ];
}

export function languagePickerBlocks(prompt: string, owner: string): unknown[] {
  return buttons(prompt, [
    { label: LANGUAGE_LABELS.id, value: encodeChoice({ kind: 'lang', owner, language: 'id' }) },
    { label: LANGUAGE_LABELS.en, value: encodeChoice({ kind: 'lang', owner, language: 'en' }) },
  ]);
}

export function deleteConfirmBlocks(messages: Messages, owner: string): unknown[] {
  return buttons(messages.deleteAsk(), [
    {
      label: messages.deleteConfirmButton(),
      value: encodeChoice({ kind: 'delete', owner, confirm: true }),
      style: 'danger',
    },
    { label: messages.deleteCancelButton(), value: encodeChoice({ kind: 'delete', owner, confirm: false }) },
  ]);
}

function buttons(
  prompt: string,
  items: { label: string; value: string; style?: 'danger' | 'primary' }[],
): unknown[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(prompt) } },
    {
      type: 'actions',
      elements: items.map((item, index) => ({
        type: 'button',
        action_id: `${CHOICE_ACTION_PREFIX}-${index}`,
        text: plain(item.label),
        value: item.value,
        ...(item.style ? { style: item.style } : {}),
      })),
    },
  ];
}

function plain(text: string): PlainText {
  return { type: 'plain_text', text, emoji: true };
}
