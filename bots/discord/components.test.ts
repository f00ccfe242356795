import { describe, expect, it } from 'vitest';
import { decodeChoice } from '../shared/choices.js';
import { en } from '../shared/i18n/index.js';
import {
  CHOICE_MENU_ID,
  deleteConfirmRow,
  languageButtonsRow,
  modelAutocompleteResponse,
  modelSelectRow,
} from './components.js';
import { parseInteraction } from './interaction.js';

describe('Discord components', () => {
  it('offers at most 25 models with the current one selected', () => {
    const models = Array.from({ length: 30 }, (_, i) => ({ id: `model-${i}`, name: `Model ${i}` }));
    const row = modelSelectRow(models, 'model-3', 'Pilih model', '3');
    const [menu] = row.components;
    expect(menu?.custom_id).toBe(CHOICE_MENU_ID);
    expect(menu?.options).toHaveLength(25);
    expect(menu?.options.filter((o) => o.default).map((o) => o.label)).toEqual(['Model 3']);
  });

  it('a pressed option or button decodes back to its choice', () => {
    const row = modelSelectRow([{ id: 'gpt-4o-mini', name: 'GPT-4o mini' }], 'x', 'p', '3');
    const value = row.components[0]!.options[0]!.value;
    const press = parseInteraction({
      type: 3,
      id: '1',
      token: 't',
      application_id: '2',
      user: { id: '3' },
      data: { custom_id: CHOICE_MENU_ID, component_type: 3, values: [value] },
    });
    expect(press?.kind === 'component' ? decodeChoice(press.values[0]) : undefined).toEqual({
      kind: 'model',
      owner: '3',
      modelId: 'gpt-4o-mini',
    });
    expect(languageButtonsRow('3').components.map((b) => decodeChoice(b.custom_id))).toEqual([
      { kind: 'lang', owner: '3', language: 'id' },
      { kind: 'lang', owner: '3', language: 'en' },
    ]);
    expect(deleteConfirmRow(en, '3').components.map((b) => b.label)).toEqual([
      'Yes, delete everything',
      'Cancel',
    ]);
  });

  it('answers /model autocomplete with matching models', () => {
    const models = [
      { id: 'gpt-4o-mini', name: 'GPT-4o mini' },
      { id: 'deepseek-chat', name: 'DeepSeek V3' },
    ];
    expect(modelAutocompleteResponse(models, 'deep')).toEqual({
      type: 8,
      data: { choices: [{ name: 'DeepSeek V3', value: 'deepseek-chat' }] },
    });
    expect(modelAutocompleteResponse(models, '').data.choices).toHaveLength(2);
  });
});
