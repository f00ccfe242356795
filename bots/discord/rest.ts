import { API } from '@discordjs/core/http-only';
import { REST } from '@discordjs/rest';

/**
 * discord.js's REST client and typed API for an HTTP-interactions bot (no gateway connection).
 * Interaction callbacks and webhook follow-ups need no bot token; registering commands does.
 */
export function createDiscordApi(config: { token?: string; apiBase?: string }): API {
  const rest = new REST({
    ...(config.apiBase ? { api: config.apiBase.replace(/\/+$/, '') } : {}),
    // Node's own fetch: REST's default client is a bundled older undici that, once the process has
    // loaded a newer undici (our HTTP clients do), shares its global dispatcher and fails on
    // multipart bodies (image attachments).
    makeRequest: (url, init) => fetch(url, init as RequestInit),
  });
  if (config.token) rest.setToken(config.token);
  return new API(rest);
}
