import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { choiceFits, encodeChoice, LANGUAGE_LABELS, type ModelOption } from '../shared/choices.js';
import type { Messages } from '../shared/i18n/index.js';
import { encodePhotoChoice } from '../shared/photo-choice.js';

/** The `custom_id` of every AIport menu; the chosen option's value is an encoded Choice. */
export const CHOICE_MENU_ID = 'choice';
const MAX_OPTIONS = 25;

/** A select menu of models (Discord shows at most 25 options), the current one preselected. */
export function modelSelectRow(
  models: ModelOption[],
  currentId: string,
  placeholder: string,
  owner: string,
): APIActionRowComponent<APIStringSelectComponent> {
  const options = models
    .filter((m) => choiceFits({ kind: 'model', owner, modelId: m.id }))
    .slice(0, MAX_OPTIONS)
    .map((m) => ({
      label: m.name.slice(0, 100),
      value: encodeChoice({ kind: 'model', owner, modelId: m.id }),
      description: m.id.slice(0, 100),
      default: m.id === currentId,
    }));
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: CHOICE_MENU_ID,
        placeholder: placeholder.slice(0, 150),
        options,
      },
    ],
  };
}

/** Buttons carry their Choice in `custom_id`. */
export function languageButtonsRow(owner: string): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: (['id', 'en'] as const).map((language) => ({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: LANGUAGE_LABELS[language],
      custom_id: encodeChoice({ kind: 'lang', owner, language }),
    })),
  };
}

export function deleteConfirmRow(
  messages: Messages,
  owner: string,
): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        label: messages.deleteConfirmButton(),
        custom_id: encodeChoice({ kind: 'delete', owner, confirm: true }),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: messages.deleteCancelButton(),
        custom_id: encodeChoice({ kind: 'delete', owner, confirm: false }),
      },
    ],
  };
}

/**
 * The answer to `/model`'s autocomplete: up to 25 models whose name or id contains what was
 * typed (case-insensitive), valued by model id.
 */
export function modelAutocompleteResponse(
  models: ModelOption[],
  typed: string,
): { type: 8; data: { choices: { name: string; value: string }[] } } {
  const query = typed.trim().toLowerCase();
  const choices = models
    .filter((m) => query === '' || m.name.toLowerCase().includes(query) || m.id.toLowerCase().includes(query))
    .slice(0, MAX_OPTIONS)
    .map((m) => ({ name: m.name.slice(0, 100), value: m.id.slice(0, 100) }));
  return { type: 8, data: { choices } };
}

/** "Edit it" / "Ask about it" under an image whose question is unclear, bound to its sender. */
export function photoChoiceRow(
  t: Messages,
  owner: string,
  token: string,
): APIActionRowComponent<APIButtonComponentWithCustomId> {
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: t.photoEditButton().slice(0, 80),
        custom_id: encodePhotoChoice('edit', owner, token),
      },
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: t.photoAskButton().slice(0, 80),
        custom_id: encodePhotoChoice('ask', owner, token),
      },
    ],
  };
}
