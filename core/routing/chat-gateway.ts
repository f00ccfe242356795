/**
 * The one chat entry point for every channel (REST API and the Telegram, Slack and Discord bots).
 *
 *   const run = core.gateway.runChat({ accountId, keyId?, channel, modelId, request, signal?, onFirstByte? });
 *   for await (const part of run) { ... }   // 'start' first (job id, provider), then text/tool-call deltas
 *   const outcome = await run.result;       // job id, usage, cost (mRp), finish reason, status
 *
 *   const outcome = await core.gateway.completeChat(input);  // the same, buffered (text in outcome)
 *   core.gateway.health();                                   // per-route breaker state, EWMA, errors
 *
 * Contract:
 * - Before any part is yielded, failures throw a CoreError and nothing is charged: `model_not_found`,
 *   `invalid_request` (images to a model without vision, tools to one without tools),
 *   `rate_limited` (details: retry_after_s, rate_limit), `insufficient_balance` (details:
 *   available_mrp, needed_mrp), `content_refused` (a safety refusal, not billed),
 *   `upstream_unavailable` (every route failed or is open), or the upstream's own 4xx.
 * - Money: the worst case is held first; the provider's usage (the last one seen; 0 is a real
 *   report) is settled once; missing usage is estimated from what was produced and marked. Failures
 *   and safety refusals release the hold.
 * - Routing: routes ordered by health; retryable upstream failures fail over to the next route until
 *   the first content part is yielded (`completeChat`: until the answer is complete); never after.
 *   An error thrown after `start` means the answer was cut: show it as an error, not as a finish.
 * - Client gone (signal aborted, or the loop left early): the upstream is still read, up to
 *   `drainTimeoutMs`, to bill the real usage once; if cut short, the produced part is billed as an
 *   estimate. The job ends `cancelled`.
 * - Every request writes one jobs row with every attempt; content only if the account keeps it.
 */
import { randomUUID } from 'node:crypto';
import type { Catalog, CatalogRoute, ChatModel } from '../catalog/index.js';
import { CoreError, isCoreError } from '../errors.js';
import type { JobChannel, Jobs, ProviderAttempt } from '../jobs/index.js';
import type { Ledger } from '../ledger/index.js';
import {
  type ChatInputRequest,
  chatCostMrp,
  chatHold,
  estimateUsage,
  priceSnapshot,
} from '../metering/index.js';
import {
  type ChatProvider,
  type FinishReason,
  isProviderError,
  type OptionalParameter,
  type ProviderId,
  requestedParameters,
  type ToolCall,
  type Usage,
  unsupportedParameters,
} from '../providers/index.js';
import { type RateLimitGrant, type RateLimits, summarize } from '../ratelimit/index.js';
import { type ChatOutcome, type ChatRun, type ChatRunPart, Presence, toChatRun } from './chat-run.js';
import type { RouteHealth } from './health.js';
import { promptRecord } from './prompt-record.js';

export interface RunChatInput {
  accountId: string;
  keyId?: string;
  channel: JobChannel;
  /** Our catalog model id. */
  modelId: string;
  request: ChatInputRequest;
  /** Aborted when the client leaves (the run then drains upstream, bounded, and bills once). */
  signal?: AbortSignal;
  /** Called once, when the first content is about to be yielded (or the buffered answer is ready). */
  onFirstByte?: () => void;
  /** Extra rate-limit subjects with the account's limits, e.g. `telegram:123`. */
  rateLimitSubjects?: string[];
  /** Non-content parameters for the job record (e.g. `{ stream: true }`). */
  params?: Record<string, unknown>;
}

export interface ChatGatewayDeps {
  catalog: Catalog;
  ledger: Ledger;
  jobs: Jobs;
  providers: Partial<Record<ProviderId, ChatProvider>>;
  health: RouteHealth;
  rateLimits?: RateLimits;
}

export interface ChatGatewayOptions {
  /** How long upstream is still read after the client left. */
  drainTimeoutMs?: number;
  /** Chat holds outlive the longest stream; the sweeper frees them after this. */
  holdTtlMs?: number;
}

const DEFAULT_DRAIN_MS = 60_000;
const ROUTE_BROKEN_STATUSES: ReadonlySet<number> = new Set([401, 402, 403, 404]);
const DEFAULT_HOLD_TTL_MS = 60 * 60_000;

interface AttemptState {
  text: string;
  calls: Map<number, ToolCall>;
  usage: Usage | undefined;
  finish: { reason: FinishReason; raw: string | undefined } | undefined;
}

function toolCallsOf(state: AttemptState): ToolCall[] {
  return [...state.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createChatGateway(deps: ChatGatewayDeps, options: ChatGatewayOptions = {}) {
  const { catalog, ledger, jobs, providers, health } = deps;
  const drainMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_MS;
  const holdTtlMs = options.holdTtlMs ?? DEFAULT_HOLD_TTL_MS;

  function checkCapabilities(model: ChatModel, request: ChatInputRequest): void {
    if (request.messages.length === 0) {
      throw new CoreError('invalid_request', 'messages must contain at least one message', {
        details: { param: 'messages' },
      });
    }
    const hasImages = request.messages.some((m) => m.content.some((p) => p.type === 'image'));
    if (hasImages && !model.vision) {
      throw new CoreError('invalid_request', `The model "${model.id}" does not accept images`, {
        details: { param: 'messages' },
      });
    }
    if ((request.tools?.length ?? 0) > 0 && !model.tools) {
      throw new CoreError('invalid_request', `The model "${model.id}" does not support tools`, {
        details: { param: 'tools' },
      });
    }
  }

  /**
   * The model's configured routes whose provider honours every optional parameter the request sets;
   * none: a 400 naming the first parameter no route honours (never a silent drop).
   */
  function routesHonouring(model: ChatModel, requested: readonly OptionalParameter[]): CatalogRoute[] {
    const configured = model.activeRoutes.filter((r) => providerFor(r) !== undefined);
    if (requested.length === 0) return configured;
    const honouring = configured.filter(
      (r) => unsupportedParameters(r.provider as ProviderId, requested).length === 0,
    );
    if (honouring.length > 0 || configured.length === 0) return honouring;
    const param =
      requested.find((p) =>
        configured.every((r) => unsupportedParameters(r.provider as ProviderId, [p]).length > 0),
      ) ?? requested[0]!;
    throw new CoreError(
      'invalid_request',
      `The parameter "${param}" is not supported by the model "${model.id}"`,
      { details: { param } },
    );
  }

  const providerFor = (route: CatalogRoute) =>
    (providers as Partial<Record<string, ChatProvider>>)[route.provider];

  async function* execute(
    input: RunChatInput,
    mode: 'stream' | 'buffered',
    presence: Presence,
  ): AsyncGenerator<ChatRunPart, ChatOutcome> {
    const began = performance.now();
    const model = catalog.get(input.modelId, 'chat');
    checkCapabilities(model, input.request);
    const eligible = routesHonouring(model, requestedParameters(input.request));
    const hold = chatHold(model, input.request);

    let grant: RateLimitGrant | undefined;
    if (deps.rateLimits) {
      grant = await deps.rateLimits.acquire(
        { accountId: input.accountId, keyId: input.keyId, extra: input.rateLimitSubjects },
        hold.inputTokens,
      );
    }
    const rateLimit = grant ? summarize(grant.decision.states) : undefined;

    const jobId = randomUUID();
    const [held, started] = await Promise.allSettled([
      ledger.hold(input.accountId, hold.amountMrp, { reference: `job:${jobId}`, ttlMs: holdTtlMs }),
      jobs.start({
        id: jobId,
        accountId: input.accountId,
        apiKeyId: input.keyId,
        channel: input.channel,
        kind: 'chat',
        model: model.id,
        price: priceSnapshot(model),
        params: { ...input.params, max_output_tokens: hold.maxOutputTokens },
        prompt: promptRecord(input.request),
      }),
    ]);
    if (held.status === 'rejected') {
      const error = held.reason;
      if (started.status === 'fulfilled') {
        await jobs.finish(jobId, {
          status: 'failed',
          errorCode: isCoreError(error) ? error.code : 'internal',
          errorMessage: errorText(error),
          latencyMs: Math.round(performance.now() - began),
        });
      }
      throw error;
    }
    if (started.status === 'rejected') {
      await ledger.release(held.value.id);
      throw started.reason;
    }
    const holdId = held.value.id;
    const attempts: ProviderAttempt[] = [];
    let committed = false;
    let ttfbMs: number | undefined;
    let lastProvider: ProviderId | undefined;

    // Our own controller: the client's abort must not stop the upstream read (we need its usage).
    const upstream = new AbortController();
    let drainTimer: NodeJS.Timeout | undefined;
    presence.onLeave(() => {
      drainTimer = setTimeout(() => upstream.abort(new Error('drain limit reached')), drainMs);
      drainTimer.unref?.();
    });

    async function fail(status: 'failed' | 'refused' | 'cancelled', error: unknown): Promise<never> {
      clearTimeout(drainTimer);
      await Promise.all([
        ledger.release(holdId),
        jobs.finish(jobId, {
          status,
          holdId,
          costMrp: 0n,
          attempts,
          provider: lastProvider,
          latencyMs: Math.round(performance.now() - began),
          ttfbMs,
          errorCode: isCoreError(error) ? error.code : 'internal',
          errorMessage: errorText(error),
        }),
      ]);
      throw error;
    }

    const routes = health.order(eligible);
    let lastError: unknown;
    for (const route of routes) {
      if (presence.gone && !committed) break;
      if (!health.tryAcquire(route)) continue;
      const provider = providerFor(route)!;
      lastProvider = provider.id;
      const attemptBegan = performance.now();
      let firstPartMs: number | undefined;
      const state: AttemptState = { text: '', calls: new Map(), usage: undefined, finish: undefined };
      try {
        const parts = provider.stream({
          ...input.request,
          maxOutputTokens: hold.maxOutputTokens,
          model: route.model ?? '',
          signal: upstream.signal,
        });
        for await (const part of parts) {
          firstPartMs ??= performance.now() - attemptBegan;
          if (part.type === 'usage') {
            state.usage = part.usage;
            continue;
          }
          if (part.type === 'finish') {
            state.finish = { reason: part.reason, raw: part.raw };
            continue;
          }
          if (part.type === 'text-delta') state.text += part.text;
          else {
            const call = state.calls.get(part.index) ?? { id: '', name: '', arguments: '' };
            if (part.id) call.id = part.id;
            if (part.name) call.name = part.name;
            call.arguments += part.argumentsDelta;
            state.calls.set(part.index, call);
          }
          if (mode !== 'stream') continue;
          if (!committed) {
            committed = true;
            ttfbMs = Math.round(performance.now() - began);
            input.onFirstByte?.();
            if (!presence.gone) {
              yield { type: 'start', jobId, model: model.id, provider: provider.id, rateLimit };
            }
          }
          if (!presence.gone) yield part;
        }
        if (!state.finish)
          throw new CoreError('upstream_error', `${provider.id}: stream ended without a finish`);
      } catch (error) {
        const latencyMs = Math.round(performance.now() - attemptBegan);
        if (upstream.signal.aborted) {
          // Our drain limit: bill what was produced for the user, as an estimate.
          attempts.push(
            attemptRecord(route, 'error', latencyMs, 'client left; read stopped at the drain limit'),
          );
          health.neutral(route);
          return await settleAnswer(route, provider.id, state, true);
        }
        const status = isProviderError(error) ? error.status : undefined;
        attempts.push(attemptRecord(route, 'error', latencyMs, errorText(error), status));
        lastError = error;
        const refused = isCoreError(error) && error.code === 'content_refused';
        // Retryable failures, and answers that say this route (not the request) is broken: our key
        // refused (401/403), our upstream account out of money (402, exhausted quota), the route's
        // upstream model gone (404). A client's bad request (400/413/422) is never retried elsewhere.
        const routeBroken =
          isProviderError(error) &&
          ((error.status !== undefined && ROUTE_BROKEN_STATUSES.has(error.status)) ||
            error.details.upstream_type === 'insufficient_quota');
        const retryable = isCoreError(error) && (error.retryable || routeBroken) && !refused;
        if (retryable) health.failure(route, errorText(error));
        else health.neutral(route);
        if (refused) return await fail('refused', refusal());
        if (retryable && !committed) continue;
        if (committed) return await fail('failed', cutError(error));
        return await fail('failed', error);
      }
      health.success(route, firstPartMs ?? Math.round(performance.now() - attemptBegan));
      attempts.push(attemptRecord(route, 'ok', Math.round(performance.now() - attemptBegan)));
      if (!committed) {
        ttfbMs = Math.round(performance.now() - began);
        if (state.finish.reason !== 'content_filter') {
          committed = true;
          input.onFirstByte?.();
          if (mode === 'stream' && !presence.gone) {
            yield { type: 'start', jobId, model: model.id, provider: provider.id, rateLimit };
          }
        }
      }
      return await settleAnswer(route, provider.id, state, false);
    }

    if (presence.gone && !committed) {
      return await fail(
        'cancelled',
        new CoreError('invalid_request', 'The client left before the answer began'),
      );
    }
    const reason =
      routes.length === 0 || lastError === undefined
        ? `The model "${model.id}" is temporarily unavailable: every provider is failing. Try again shortly.`
        : `The model "${model.id}" is unavailable right now (${errorText(lastError)}). Try again shortly.`;
    return await fail('failed', new CoreError('upstream_unavailable', reason, { retryable: true }));

    async function settleAnswer(
      route: CatalogRoute,
      providerId: ProviderId,
      state: AttemptState,
      cutShort: boolean,
    ): Promise<ChatOutcome> {
      clearTimeout(drainTimer);
      const toolCalls = toolCallsOf(state);
      const finishReason = state.finish?.reason ?? 'other';
      if (finishReason === 'content_filter') {
        if (!committed) return await fail('refused', refusal());
        await ledger.release(holdId);
        const usage = state.usage ?? estimateUsage(input.request, state.text, toolCalls);
        await jobs.finish(jobId, {
          status: 'refused',
          provider: providerId,
          holdId,
          costMrp: 0n,
          attempts,
          usage: usageRecord(usage, state.usage === undefined),
          latencyMs: Math.round(performance.now() - began),
          ttfbMs,
          errorCode: 'content_refused',
          errorMessage: `refused for safety (${state.finish?.raw ?? 'content_filter'})`,
          output: { text: state.text, toolCalls },
        });
        return outcome('refused', true, usage, state.usage === undefined, 0n);
      }
      const estimated = cutShort || state.usage === undefined;
      const usage =
        cutShort || !state.usage ? estimateUsage(input.request, state.text, toolCalls) : state.usage;
      const cost = chatCostMrp(model, usage);
      // The ledger charges at most the hold; the job row says what it will charge, written in
      // parallel with the settle (corrected in the rare case the hold was swept meanwhile).
      // biome-ignore lint/complexity/useMathMinMax: bigints; Math.min takes numbers only
      const charge = cost < hold.amountMrp ? cost : hold.amountMrp;
      const status = presence.gone ? 'cancelled' : 'succeeded';
      const [settled] = await Promise.all([
        ledger.settle(holdId, cost, `${model.id} via ${route.provider}`),
        jobs.finish(jobId, {
          status,
          provider: providerId,
          holdId,
          costMrp: charge,
          attempts,
          usage: usageRecord(usage, estimated),
          latencyMs: Math.round(performance.now() - began),
          ttfbMs,
          ...(presence.gone
            ? {
                errorCode: 'client_closed',
                errorMessage: cutShort
                  ? 'client left; upstream read stopped at the drain limit, produced output billed as an estimate'
                  : 'client left; upstream read to the end and billed from its usage',
              }
            : {}),
          output: { text: state.text, toolCalls, finishReason: state.finish?.raw ?? finishReason },
        }),
      ]);
      if (settled.chargedMrp !== charge) await jobs.setCost(jobId, settled.chargedMrp);
      if (grant) void deps.rateLimits?.settle(grant, usage.inputTokens + usage.outputTokens);
      return outcome(status, false, usage, estimated, settled.chargedMrp);

      function outcome(
        s: ChatOutcome['status'],
        refused: boolean,
        u: Usage,
        est: boolean,
        costMrp: bigint,
      ): ChatOutcome {
        return {
          jobId,
          model: model.id,
          provider: providerId,
          status: s,
          finishReason,
          refused,
          usage: u,
          usageEstimated: est,
          costMrp,
          text: state.text,
          toolCalls,
          ...(rateLimit ? { rateLimit } : {}),
        };
      }
    }
  }

  return {
    /** Streams a chat answer (see the file header for the contract). */
    runChat(input: RunChatInput): ChatRun {
      const presence = new Presence(input.signal);
      return toChatRun(execute(input, 'stream', presence), presence);
    },

    /** The whole answer at once; fails over until it is complete, since nothing was sent before. */
    async completeChat(input: RunChatInput): Promise<ChatOutcome> {
      const presence = new Presence(input.signal);
      const generator = execute(input, 'buffered', presence);
      for (;;) {
        const next = await generator.next();
        if (next.done) return next.value;
      }
    },

    /** Per-route health for the admin page. */
    health: () => health.snapshot(),
  };
}

export type ChatGateway = ReturnType<typeof createChatGateway>;

function attemptRecord(
  route: CatalogRoute,
  status: 'ok' | 'error',
  latencyMs: number,
  error?: string,
  httpStatus?: number,
): ProviderAttempt {
  return {
    provider: route.provider,
    model: route.model ?? '',
    status,
    latencyMs,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    ...(error === undefined ? {} : { error: error.slice(0, 300) }),
  };
}

function usageRecord(usage: Usage, estimated: boolean) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedInputTokens,
    reasoningTokens: usage.reasoningTokens,
    estimated,
  };
}

function refusal(): CoreError {
  return new CoreError(
    'content_refused',
    'The model refused this request for safety reasons. It was not charged.',
    { retryable: false },
  );
}

/** An upstream failure after part of the answer was sent: the client must see an error, not a finish. */
function cutError(error: unknown): CoreError {
  return new CoreError(
    'upstream_unavailable',
    `The answer was cut off by the provider: ${errorText(error)}`,
    {
      retryable: true,
      cause: error,
    },
  );
}
