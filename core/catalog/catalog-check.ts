import type { Catalog, CatalogRoute } from './catalog.js';
import type { CatalogProvider } from './catalog-schema.js';
import { KNOWN_SHUTDOWNS, type KnownShutdown } from './known-shutdowns.js';

/**
 * Checks the catalog's routes against what each configured provider says today: a route whose model
 * is no longer in the provider's model list is `gone`; one the provider (OpenAI's `shutdown_date`)
 * or its deprecation page (KNOWN_SHUTDOWNS) schedules for shutdown is `retiring` (or `gone` once the
 * date has passed); a legacy alias is `legacy`; a provider we could not ask leaves its routes
 * `unchecked`. Only active routes (configured providers) are checked.
 *
 *   const findings = await checkCatalog(catalog, directories, { today: '2026-12-03' });
 */

export interface UpstreamModel {
  /** The upstream's model id (Gemini's `models/` prefix removed). */
  id: string;
  /** YYYY-MM-DD, when the provider's list announces one. */
  shutdownDate?: string;
}

/** What one provider can tell about its models: a list, or (workflow providers) one workflow at a time. */
export interface UpstreamDirectory {
  listModels?(): Promise<UpstreamModel[]>;
  hasWorkflow?(workflowId: string): Promise<boolean>;
}

export type RouteProblem = 'gone' | 'retiring' | 'legacy' | 'unchecked';

export interface RouteFinding {
  modelId: string;
  provider: CatalogProvider;
  /** The route's upstream model id or workflow id. */
  upstream: string;
  problem: RouteProblem;
  detail: string;
}

export interface CheckOptions {
  /** Today as YYYY-MM-DD (UTC). */
  today: string;
  knownShutdowns?: readonly KnownShutdown[];
}

export async function checkCatalog(
  catalog: Pick<Catalog, 'served'>,
  directories: Partial<Record<CatalogProvider, UpstreamDirectory>>,
  options: CheckOptions,
): Promise<RouteFinding[]> {
  const known = options.knownShutdowns ?? KNOWN_SHUTDOWNS;
  const lists = new Map<CatalogProvider, Promise<Map<string, UpstreamModel>>>();
  const listOf = (provider: CatalogProvider, directory: UpstreamDirectory) => {
    let list = lists.get(provider);
    if (list === undefined) {
      list = directory.listModels!().then((models) => new Map(models.map((m) => [m.id, m])));
      lists.set(provider, list);
    }
    return list;
  };

  const findings: RouteFinding[] = [];
  for (const model of catalog.served) {
    for (const route of model.activeRoutes) {
      const upstream = route.model ?? route.workflowId ?? '';
      const finding = (problem: RouteProblem, detail: string) =>
        findings.push({ modelId: model.id, provider: route.provider, upstream, problem, detail });
      const notice = known.find((k) => k.provider === route.provider && k.model === route.model);
      try {
        const listed = await lookUp(route, directories[route.provider], listOf);
        if (listed === 'unknown') {
          finding('unchecked', `${route.provider} offers no way to list its models`);
          continue;
        }
        if (listed === undefined) {
          finding('gone', `not in ${route.provider}'s model list`);
          continue;
        }
        const shutdown = (listed !== true ? listed.shutdownDate : undefined) ?? notice?.shutdownDate;
        if (shutdown !== undefined) {
          const source =
            listed !== true && listed.shutdownDate ? `${route.provider}'s model list` : notice?.note;
          const passed = shutdown <= options.today;
          finding(
            passed ? 'gone' : 'retiring',
            `${passed ? 'shut down' : 'shuts down'} ${shutdown} (${source})`,
          );
        } else if (notice !== undefined) {
          finding('legacy', notice.note);
        }
      } catch (error) {
        finding(
          'unchecked',
          `could not ask ${route.provider}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
  return findings;
}

/** The route's entry in its provider's list; `true` for an existing workflow; undefined when gone. */
async function lookUp(
  route: CatalogRoute,
  directory: UpstreamDirectory | undefined,
  listOf: (provider: CatalogProvider, directory: UpstreamDirectory) => Promise<Map<string, UpstreamModel>>,
): Promise<UpstreamModel | true | undefined | 'unknown'> {
  if (route.workflowId !== undefined) {
    if (!directory?.hasWorkflow) return 'unknown';
    return (await directory.hasWorkflow(route.workflowId)) ? true : undefined;
  }
  if (!directory?.listModels || route.model === undefined) return 'unknown';
  return (await listOf(route.provider, directory)).get(route.model);
}

/** One line per finding, for the CLI and the start-up log. */
export function formatFinding(finding: RouteFinding): string {
  return `${finding.problem}: ${finding.modelId} -> ${finding.provider} ${finding.upstream}: ${finding.detail}`;
}
