/**
 * The embeddings entry point (the REST API's `POST /v1/embeddings`).
 *
 *   const outcome = await core.embeddings.embed({ accountId, keyId?, channel, modelId, inputs, dimensions? });
 *   outcome.vectors   // one per input, in order
 *
 * Contract:
 * - Refusals before any upstream call throw a CoreError and charge nothing: `model_not_found` (no
 *   served embedding model of that id), `invalid_request` naming the parameter (`input`: empty, too
 *   many, token arrays to a model whose routes read only text; `dimensions` above the model's size or
 *   on a model that cannot shorten its vectors; `user` that no route passes on), `rate_limited`,
 *   `insufficient_balance` (the hold, see embedding-metering).
 * - Routing: routes ordered by health, failing over exactly as chat does (failover.ts): `route` and
 *   `transient` failures move on; a `request` failure (the upstream's 4xx for this input) ends the
 *   run with that error; nothing billed unless vectors came back. Every route of a model must
 *   produce the same vectors (same weights), so a failover never mixes vector spaces.
 * - Money: the upstream's `prompt_tokens` at the model's input price, settled once (even above the
 *   hold); without a report (Gemini never sends one) our own count, marked estimated on the job.
 * - One jobs row per request (kind `embedding`), with every attempt; the inputs only if the account
 *   keeps content; the vectors are never stored.
 */
import type { CatalogRoute, EmbeddingModel } from '../catalog/index.js';
import { CoreError } from '../errors.js';
import type { JobChannel, Jobs, ProviderAttempt } from '../jobs/index.js';
import {
  embeddingCostMrp,
  embeddingHold,
  embeddingPriceSnapshot,
  estimateEmbeddingTokens,
  type MeteredJobs,
} from '../metering/index.js';
import type {
  EmbeddingInputs,
  EmbeddingProvider,
  EmbeddingProviderId,
  EmbeddingResult,
} from '../providers/embeddings/index.js';
import { type RateLimitSummary, type RateLimits, summarize } from '../ratelimit/index.js';
import type { RouteHealth } from './health.js';
import { failOneShotJob, tryRoutes } from './one-shot-routes.js';

/** OpenAI's documented limit of inputs per request. */
export const MAX_EMBEDDING_INPUTS = 2048;

export interface EmbedInput {
  accountId: string;
  keyId?: string;
  channel: JobChannel;
  modelId: string;
  inputs: EmbeddingInputs;
  dimensions?: number;
  user?: string;
  /** Non-content parameters for the job record (e.g. `encoding_format`). */
  params?: Record<string, unknown>;
}

export interface EmbedOutcome {
  jobId: string;
  model: string;
  provider: EmbeddingProviderId;
  vectors: number[][];
  inputTokens: number;
  /** No usage came from the upstream: the tokens were counted here. */
  usageEstimated: boolean;
  costMrp: bigint;
  rateLimit?: RateLimitSummary;
}

export interface EmbeddingGatewayDeps {
  catalog: { get(id: string, kind: 'embedding'): EmbeddingModel };
  metered: MeteredJobs;
  jobs: Jobs;
  providers: Partial<Record<EmbeddingProviderId, EmbeddingProvider>>;
  health: RouteHealth;
  rateLimits?: RateLimits;
}

const HOLD_TTL_MS = 15 * 60_000;

export function createEmbeddingGateway(deps: EmbeddingGatewayDeps) {
  const { catalog, metered, providers, health } = deps;

  /** The configured routes that can serve this request; a 400 naming what none of them can. */
  function routesFor(model: EmbeddingModel, input: EmbedInput): CatalogRoute[] {
    const configured = model.activeRoutes.filter((r) => providerOf(r) !== undefined);
    const serving = configured.filter((r) => {
      const provider = providerOf(r)!;
      return (
        (input.inputs.kind === 'text' || provider.acceptsTokenArrays) &&
        (input.user === undefined || provider.acceptsUser)
      );
    });
    if (serving.length > 0 || configured.length === 0) return serving;
    const param = configured.some((r) => input.inputs.kind === 'text' || providerOf(r)!.acceptsTokenArrays)
      ? 'user'
      : 'input';
    throw new CoreError(
      'invalid_request',
      param === 'input'
        ? `The model "${model.id}" takes text inputs only, not token arrays`
        : `The parameter "user" is not supported by the model "${model.id}" on any of its providers`,
      { details: { param } },
    );
  }

  function providerOf(route: CatalogRoute): EmbeddingProvider | undefined {
    return providers[route.provider as EmbeddingProviderId];
  }

  return {
    async embed(input: EmbedInput): Promise<EmbedOutcome> {
      const began = performance.now();
      const model = catalog.get(input.modelId, 'embedding');
      checkInput(model, input);
      const routes = routesFor(model, input);
      const hold = embeddingHold(model, input.inputs);
      const estimate = await estimateEmbeddingTokens(model, input.inputs);
      const grant = deps.rateLimits
        ? await deps.rateLimits.acquire({ accountId: input.accountId, keyId: input.keyId }, estimate)
        : undefined;
      const rateLimit = grant ? summarize(grant.decision.states) : undefined;
      const job = await metered.open({
        accountId: input.accountId,
        apiKeyId: input.keyId,
        channel: input.channel,
        kind: 'embedding',
        model: model.id,
        price: embeddingPriceSnapshot(model),
        params: {
          ...input.params,
          inputs: count(input.inputs),
          ...(input.dimensions === undefined ? {} : { dimensions: input.dimensions }),
        },
        prompt:
          input.inputs.kind === 'text' ? { input: input.inputs.texts } : { input_tokens: 'token arrays' },
        holdMrp: hold.amountMrp,
        holdTtlMs: HOLD_TTL_MS,
      });

      const attempts: ProviderAttempt[] = [];
      let run: { result: EmbeddingResult; route: CatalogRoute };
      try {
        run = await tryRoutes({
          modelId: model.id,
          routes,
          health,
          attempts,
          call: async (route) => {
            const provider = providerOf(route)!;
            const result = await provider.embed({
              model: route.model ?? '',
              inputs: input.inputs,
              ...(input.dimensions === undefined ? {} : { dimensions: input.dimensions }),
              ...(input.user === undefined ? {} : { user: input.user }),
            });
            checkDimensions(provider.id, result, input.dimensions);
            return result;
          },
        });
      } catch (error) {
        return await failOneShotJob(deps, job, { attempts, began }, error);
      }
      const { result, route } = run;
      const provider = providerOf(route)!;
      const usageEstimated = result.inputTokens === undefined;
      const inputTokens = result.inputTokens ?? estimate;
      // Money first (the charge is durable before the job row says how it ended).
      const charge = await metered.settle(
        job,
        embeddingCostMrp(model, inputTokens),
        `${model.id} via ${route.provider}`,
        {
          status: 'succeeded',
          provider: provider.id,
          attempts,
          latencyMs: Math.round(performance.now() - began),
          usage: { inputTokens, outputTokens: 0, estimated: usageEstimated },
          output: { vectors: result.vectors.length, dimensions: result.vectors[0]?.length ?? 0 },
        },
      );
      if (grant) void deps.rateLimits?.settle(grant, inputTokens);
      return {
        jobId: job.jobId,
        model: model.id,
        provider: provider.id,
        vectors: result.vectors,
        inputTokens,
        usageEstimated,
        costMrp: charge.chargedMrp,
        ...(rateLimit ? { rateLimit } : {}),
      };
    },
  };
}

export type EmbeddingGateway = ReturnType<typeof createEmbeddingGateway>;

function count(inputs: EmbeddingInputs): number {
  return inputs.kind === 'text' ? inputs.texts.length : inputs.tokens.length;
}

/** What every route would refuse anyway, refused here before anything is held. */
function checkInput(model: EmbeddingModel, input: EmbedInput): void {
  const n = count(input.inputs);
  if (n === 0 || n > MAX_EMBEDDING_INPUTS) {
    throw new CoreError('invalid_request', `"input" must hold 1 to ${MAX_EMBEDDING_INPUTS} items`, {
      details: { param: 'input' },
    });
  }
  const empty =
    input.inputs.kind === 'text'
      ? input.inputs.texts.some((t) => t.length === 0)
      : input.inputs.tokens.some((t) => t.length === 0);
  if (empty) {
    throw new CoreError('invalid_request', '"input" must not contain empty items', {
      details: { param: 'input' },
    });
  }
  if (input.dimensions !== undefined) {
    if (!model.adjustableDimensions) {
      throw new CoreError(
        'invalid_request',
        `The model "${model.id}" does not support "dimensions": its vectors always have ${model.dimensions}`,
        { details: { param: 'dimensions' } },
      );
    }
    if (input.dimensions > model.dimensions) {
      throw new CoreError(
        'invalid_request',
        `"dimensions" must be at most ${model.dimensions} for the model "${model.id}"`,
        { details: { param: 'dimensions' } },
      );
    }
  }
}

/** An upstream that ignored `dimensions` (or answered ragged vectors) broke the request's promise. */
function checkDimensions(provider: string, result: EmbeddingResult, dimensions: number | undefined): void {
  const size = dimensions ?? result.vectors[0]?.length;
  if (result.vectors.some((v) => v.length !== size)) {
    throw new CoreError('upstream_error', `${provider}: the embeddings do not have the asked size`, {
      retryable: true,
    });
  }
}
