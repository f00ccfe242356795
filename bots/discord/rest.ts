import { API } from '@discordjs/core/http-only';
import { REST } from '@discordjs/rest';

/**
 * discord.js's REST client and typed API for an HTTP-interactions bot (no gateway connection).
 * Interaction callbacks and webhook follow-ups need no bot token; registering commands does.
 */
export function createDiscordApi(config: { token?: string; apiBase?: string }): API {
  const rest = new REST({ ...(config.apiBase ? { api: config.apiBase.replace(/\/+$/, '') } : {}) });
  if (config.token) rest.setToken(config.token);
  return new API(rest);
}
