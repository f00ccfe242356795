import type { Logger } from 'pino';
import { type Catalog, checkCatalog, formatFinding, type RouteFinding } from '../core/catalog/index.js';
import { createHttpClient, createModelDirectories, type HttpClient } from '../core/providers/index.js';
import type { Config } from './config.js';

/** The model-list endpoints of every provider this deployment has credentials for. */
function directoriesFor(config: Config, http: HttpClient) {
  const key = (apiKey: string | undefined, baseUrl: string) => (apiKey ? { apiKey, baseUrl } : undefined);
  const local = config.LOCAL_OPENAI_BASE_URL;
  return createModelDirectories(
    {
      openai: key(config.OPENAI_API_KEY, config.OPENAI_BASE_URL),
      anthropic: key(config.ANTHROPIC_API_KEY, config.ANTHROPIC_BASE_URL),
      gemini: key(config.GEMINI_API_KEY, config.GEMINI_BASE_URL),
      deepseek: key(config.DEEPSEEK_API_KEY, config.DEEPSEEK_BASE_URL),
      runninghub: key(config.RUNNINGHUB_API_KEY, config.RUNNINGHUB_BASE_URL),
      ...(local
        ? {
            openaiCompatible: {
              baseUrl: local,
              ...(config.LOCAL_OPENAI_API_KEY ? { apiKey: config.LOCAL_OPENAI_API_KEY } : {}),
            },
          }
        : {}),
    },
    http,
  );
}

/** Asks each configured provider about the catalog's routes (see core/catalog/catalog-check). */
export async function checkConfiguredCatalog(
  config: Config,
  catalog: Catalog,
  today: string = new Date().toISOString().slice(0, 10),
): Promise<RouteFinding[]> {
  const http = createHttpClient({ headersTimeoutMs: 15_000, bodyTimeoutMs: 15_000 });
  try {
    return await checkCatalog(catalog, directoriesFor(config, http), { today });
  } finally {
    await http.close();
  }
}

/**
 * Start-up: checks the catalog in the background and logs one warning per route whose model is gone
 * or scheduled for shutdown. It never delays or fails the start; a provider it cannot reach is logged
 * at info level only.
 */
export function warnAboutCatalogRoutes(config: Config, catalog: Catalog, logger: Logger): void {
  void checkConfiguredCatalog(config, catalog)
    .then((findings) => {
      for (const finding of findings) {
        const line = `catalog: ${formatFinding(finding)}`;
        if (finding.problem === 'unchecked') logger.info(line);
        else logger.warn(line);
      }
    })
    .catch((err: unknown) => logger.info({ err }, 'catalog check did not run'));
}
