import { ANTHROPIC_VERSION } from './anthropic/provider.js';
import { GEMINI_API_VERSION } from './gemini/provider.js';
import { parseEnvelope, parseJsonKeepingIds } from './runninghub/client.js';
import { providerErrorFromStatus } from './shared/errors.js';
import type { HttpClient } from './shared/http.js';
import { isObject, joinUrl, str } from './shared/wire.js';

/**
 * Each provider's own answer to "which models do you serve today", read from its model-list endpoint
 * (paged where the provider pages): OpenAI-style `GET /models` (`data[].id`, and OpenAI's optional
 * `shutdown_date`), Anthropic `GET /v1/models` (`has_more`/`last_id`), Gemini `GET /v1beta/models`
 * (`models[].name` as `models/<id>`, `nextPageToken`). RunningHub has no list: a workflow exists when
 * `/api/openapi/getJsonApiFormat` answers code 0. Shaped as the catalog check's `UpstreamDirectory`.
 */

export interface ListedModel {
  id: string;
  shutdownDate?: string;
}

export interface ModelDirectory {
  listModels?(): Promise<ListedModel[]>;
  hasWorkflow?(workflowId: string): Promise<boolean>;
}

export interface DirectoryConnection {
  baseUrl: string;
  apiKey?: string;
}

export interface ModelDirectoriesConfig {
  openai?: DirectoryConnection;
  anthropic?: DirectoryConnection;
  gemini?: DirectoryConnection;
  deepseek?: DirectoryConnection;
  runninghub?: DirectoryConnection;
  openaiCompatible?: DirectoryConnection;
}

/** Bounds the pages read from one provider, whatever its `has_more` says. */
const MAX_PAGES = 20;

export function createModelDirectories(
  config: ModelDirectoriesConfig,
  http: HttpClient,
): Partial<
  Record<'openai' | 'anthropic' | 'gemini' | 'deepseek' | 'runninghub' | 'openai-compatible', ModelDirectory>
> {
  async function getJson(provider: string, url: string, headers: Record<string, string>): Promise<unknown> {
    const res = await http.request(url, { provider, headers: { accept: 'application/json', ...headers } });
    if (res.status !== 200) {
      await res.discard();
      throw providerErrorFromStatus({ provider, status: res.status, message: 'listing models failed' });
    }
    return res.json();
  }

  const openAiStyle = (provider: string, connection: DirectoryConnection): ModelDirectory => ({
    async listModels() {
      const headers: Record<string, string> = connection.apiKey
        ? { authorization: `Bearer ${connection.apiKey}` }
        : {};
      const body = await getJson(provider, joinUrl(connection.baseUrl, '/models'), headers);
      const data = isObject(body) && Array.isArray(body.data) ? body.data : [];
      return data.filter(isObject).flatMap((m) => listed(str(m.id), str(m.shutdown_date)));
    },
  });

  const directories: ReturnType<typeof createModelDirectories> = {};
  if (config.openai) directories.openai = openAiStyle('openai', config.openai);
  if (config.deepseek) directories.deepseek = openAiStyle('deepseek', config.deepseek);
  if (config.openaiCompatible)
    directories['openai-compatible'] = openAiStyle('openai-compatible', config.openaiCompatible);

  const anthropic = config.anthropic;
  if (anthropic) {
    directories.anthropic = {
      async listModels() {
        const models: ListedModel[] = [];
        let after: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const query = `?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`;
          const body = await getJson('anthropic', joinUrl(anthropic.baseUrl, `/v1/models${query}`), {
            'x-api-key': anthropic.apiKey ?? '',
            'anthropic-version': ANTHROPIC_VERSION,
          });
          if (!isObject(body)) break;
          const data = Array.isArray(body.data) ? body.data : [];
          models.push(...data.filter(isObject).flatMap((m) => listed(str(m.id))));
          after = str(body.last_id);
          if (body.has_more !== true || after === undefined) break;
        }
        return models;
      },
    };
  }

  const gemini = config.gemini;
  if (gemini) {
    directories.gemini = {
      async listModels() {
        const models: ListedModel[] = [];
        let token: string | undefined;
        for (let page = 0; page < MAX_PAGES; page++) {
          const query = `?pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
          const body = await getJson(
            'gemini',
            joinUrl(gemini.baseUrl, `/${GEMINI_API_VERSION}/models${query}`),
            {
              'x-goog-api-key': gemini.apiKey ?? '',
            },
          );
          if (!isObject(body)) break;
          const data = Array.isArray(body.models) ? body.models : [];
          models.push(...data.filter(isObject).flatMap((m) => listed(str(m.name)?.replace(/^models\//, ''))));
          token = str(body.nextPageToken);
          if (!token) break;
        }
        return models;
      },
    };
  }

  const runninghub = config.runninghub;
  if (runninghub) {
    directories.runninghub = {
      async hasWorkflow(workflowId) {
        const res = await http.request(joinUrl(runninghub.baseUrl, '/api/openapi/getJsonApiFormat'), {
          method: 'POST',
          provider: 'runninghub',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ apiKey: runninghub.apiKey ?? '', workflowId }),
        });
        if (res.status !== 200) {
          await res.discard();
          throw providerErrorFromStatus({ provider: 'runninghub', status: res.status });
        }
        const envelope = parseEnvelope(parseJsonKeepingIds(await res.text()));
        // 380 WORKFLOW_NOT_EXISTS (and 810, not saved or not runnable) mean the route is gone; any
        // other failure (a bad key, say) is not an answer about the workflow.
        if (envelope.code === 0) return true;
        if (envelope.code === 380 || envelope.code === 810) return false;
        throw new Error(`RunningHub answered code ${envelope.code} ${envelope.msg ?? ''}`.trim());
      },
    };
  }
  return directories;
}

function listed(id: string | undefined, shutdownDate?: string): ListedModel[] {
  if (id === undefined || id === '') return [];
  return [{ id, ...(shutdownDate ? { shutdownDate } : {}) }];
}
