import type { CatalogProvider } from './catalog-schema.js';

/**
 * Shutdowns the providers announce on their deprecation pages but not in their model lists (only
 * OpenAI's list carries a `shutdown_date`). A route to one of these is reported even while the model
 * still answers. Each entry names its source; dates are the announced (earliest) shutdown.
 */
export interface KnownShutdown {
  provider: CatalogProvider;
  model: string;
  /** YYYY-MM-DD; absent for a legacy name that still answers but is served by another model. */
  shutdownDate?: string;
  note: string;
}

export const KNOWN_SHUTDOWNS: readonly KnownShutdown[] = [
  // Gemini API deprecations page (ai.google.dev/gemini-api/docs/deprecations).
  {
    provider: 'gemini',
    model: 'gemini-2.5-pro',
    shutdownDate: '2026-06-17',
    note: 'Gemini deprecations page',
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    shutdownDate: '2026-06-17',
    note: 'Gemini deprecations page',
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash-lite',
    shutdownDate: '2026-07-22',
    note: 'Gemini deprecations page',
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash-image',
    shutdownDate: '2026-10-02',
    note: 'Gemini deprecations page',
  },
  {
    provider: 'gemini',
    model: 'gemini-2.0-flash',
    shutdownDate: '2026-02-01',
    note: 'Gemini deprecations page',
  },
  // DeepSeek models & pricing page (api-docs.deepseek.com/quick_start/pricing).
  { provider: 'deepseek', model: 'deepseek-chat', shutdownDate: '2026-07-24', note: 'DeepSeek pricing page' },
  {
    provider: 'deepseek',
    model: 'deepseek-reasoner',
    shutdownDate: '2026-07-24',
    note: 'DeepSeek pricing page',
  },
  {
    provider: 'deepseek',
    model: 'deepseek-v4-flash',
    note: 'DeepSeek pricing page: a legacy name, its model is offline and requests are served by deepseek-flash',
  },
  // OpenAI deprecations page (developers.openai.com/api/docs/deprecations).
  { provider: 'openai', model: 'dall-e-3', shutdownDate: '2026-05-12', note: 'OpenAI deprecations page' },
  { provider: 'openai', model: 'dall-e-2', shutdownDate: '2026-05-12', note: 'OpenAI deprecations page' },
  { provider: 'openai', model: 'gpt-image-1', shutdownDate: '2026-10-23', note: 'OpenAI deprecations page' },
  {
    provider: 'openai',
    model: 'sora-2',
    shutdownDate: '2026-09-24',
    note: 'OpenAI deprecations page (Videos API)',
  },
  {
    provider: 'openai',
    model: 'sora-2-pro',
    shutdownDate: '2026-09-24',
    note: 'OpenAI deprecations page (Videos API)',
  },
];
