import type { Catalog, ChatModel } from '../catalog/index.js';
import { CoreError } from '../errors.js';

/**
 * Which chat models the bots offer: the served chat models of the catalog, restricted to the
 * operator's list when one is set (ALLOWED_BOT_MODELS), in catalog order.
 */
export function botChatModels(catalog: Catalog, allowed: readonly string[]): ChatModel[] {
  const chat = catalog.served.filter((m): m is ChatModel => m.kind === 'chat');
  if (allowed.length === 0) return chat;
  const set = new Set(allowed);
  return chat.filter((m) => set.has(m.id));
}

/**
 * The model a turn uses: the chat's choice, else the person's, else the catalog default, each only
 * while it is still offered; else the first offered model. No model at all is `model_not_found`.
 */
export function resolveBotModel(
  offered: readonly ChatModel[],
  defaultModel: string,
  choices: { conversation?: string | null; account?: string | null },
): ChatModel {
  for (const id of [choices.conversation, choices.account, defaultModel]) {
    const model = id ? offered.find((m) => m.id === id) : undefined;
    if (model) return model;
  }
  const first = offered[0];
  if (!first) throw new CoreError('model_not_found', 'No chat model is available', { details: {} });
  return first;
}

/** A model by id or by name, case-insensitively, among the offered ones. */
export function findBotModel(offered: readonly ChatModel[], wanted: string): ChatModel | undefined {
  const key = wanted.trim().toLowerCase();
  return offered.find((m) => m.id.toLowerCase() === key || m.name.toLowerCase() === key);
}
