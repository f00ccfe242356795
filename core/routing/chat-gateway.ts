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
 * - Money (through the metered-job core): a true upper bound of the cost is held first (402 when
 *   the balance cannot cover it, before any upstream call); the provider's usage (the last one seen;
 *   0 is a real report) is charged once at the model's price, even above the hold; missing usage is
 *   estimated from what was produced and marked. Failures and safety refusals release the hold.
 * - Admission order: capabilities, the linear input bound, for a large request (`PRECHECK_FROM_TOKENS`)
 *   a cheap balance pre-check, then the token estimate, rate limits and the hold; no tokenizer runs
 *   on unbounded input, a large request that the balance cannot cover is refused before any work
 *   proportional to its size, and nothing is stored for a refused request.
 * - Routing: routes ordered by health; failures the failover policy (failover.ts) calls `route` or
 *   `transient` move on to the next route until the first content part is yielded (`completeChat`:
 *   until the answer is complete); never after.
 *   An error thrown after `start` means the answer was cut: show it as an error, not as a finish.
 * - Client gone (signal aborted, or the loop left early): the upstream is still read, up to
 *   `drainTimeoutMs`, to bill the real usage once; if cut short, the produced part is billed as an
 *   estimate. The job ends `cancelled`.
 * - An answer runs at most `maxAnswerMs`: a longer one is cut there, its produced part billed as an
 *   estimate, and the stream ends with an error (`upstream_unavailable`). The hold's lifetime is
 *   longer than that plus the drain, so the sweeper never frees the hold of a live answer.
 * - Every request writes one jobs row with every attempt; content only if the account keeps it.
 */
import type { Catalog, CatalogRoute, ChatModel } from '../catalog/index.js';
import { CoreError, isCoreError } from '../errors.js';
import type { JobChannel, Jobs } from '../jobs/index.js';
import {
  type ChatHold,
  type ChatInputRequest,
  chatCostMrp,
  chatHold,
  estimateInputTokens,
  estimateUsage,
  type MeteredJob,
  type MeteredJobs,
  priceSnapshot,
} from '../metering/index.js';
import {
  type ChatProvider,
  isProviderError,
  isSignedThinking,
  type ProviderId,
  type Usage,
} from '../providers/index.js';
import {
  type RateLimitGrant,
  type RateLimitSummary,
  type RateLimits,
  summarize,
} from '../ratelimit/index.js';
import {
  type AttemptState,
  attemptRecord,
  newAttemptState,
  providerOf,
  readAttempt,
  refusedEntirely,
  toolCallsOf,
  usageRecord,
} from './chat-attempt.js';
import { type ChatOutcome, type ChatRun, type ChatRunPart, Presence, toChatRun } from './chat-run.js';
import { classifyFailure, failsOver } from './failover.js';
import type { RouteHealth } from './health.js';
import { routesHonouring } from './parameter-routes.js';
import { promptRecord } from './prompt-record.js';
import { settleLongTexts } from './settle-long-texts.js';

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
  metered: MeteredJobs;
  jobs: Jobs;
  providers: Partial<Record<ProviderId, ChatProvider>>;
  health: RouteHealth;
  rateLimits?: RateLimits;
}

export interface ChatGatewayOptions {
  /** How long upstream is still read after the client left. */
  drainTimeoutMs?: number;
  /** The longest an answer may run, from admission; a longer one is cut and its part billed. */
  maxAnswerMs?: number;
}

const DEFAULT_DRAIN_MS = 60_000;
const DEFAULT_MAX_ANSWER_MS = 45 * 60_000;
/** A chat hold outlives its answer by this much beyond the drain, so only a crashed run's hold expires. */
const HOLD_SLACK_MS = 10 * 60_000;

/**
 * From this input bound on, the balance is read before the estimate (a cheap read, no content): a
 * request this large costs far more than the read to estimate, store and send, and its refusal
 * should cost almost nothing. Smaller requests go straight to the hold, which decides alike.
 */
const PRECHECK_FROM_TOKENS = 32_768;

/** A request that passed admission: its model, bound, rate-limit grant and metered job. */
interface Admission {
  input: RunChatInput;
  model: ChatModel;
  hold: ChatHold;
  grant: RateLimitGrant | undefined;
  rateLimit: RateLimitSummary | undefined;
  /** A likely input token count (bounded work), for rate limits and clients that want it early. */
  inputEstimate: number;
  job: MeteredJob;
  /** The routes that honour every parameter the request sets (parameter-routes.ts). */
  routes: CatalogRoute[];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createChatGateway(deps: ChatGatewayDeps, options: ChatGatewayOptions = {}) {
  const { catalog, metered, jobs, providers, health } = deps;
  const drainMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_MS;
  const maxAnswerMs = options.maxAnswerMs ?? DEFAULT_MAX_ANSWER_MS;
  const holdTtlMs = maxAnswerMs + drainMs + HOLD_SLACK_MS;

  /** Refuses what no route could serve, cheapest checks first; then holds the bound and opens the job. */
  async function admit(input: RunChatInput): Promise<Admission> {
    const model = catalog.get(input.modelId, 'chat');
    checkCapabilities(model, input.request);
    const routes = routesHonouring(model, providers, input.request);
    const hold = chatHold(model, input.request);
    if (hold.inputTokens >= PRECHECK_FROM_TOKENS) await metered.precheck(input.accountId, hold.amountMrp);
    await settleLongTexts(input.request);
    const inputEstimate = Math.min(await estimateInputTokens(input.request), hold.inputTokens);
    const grant = deps.rateLimits
      ? await deps.rateLimits.acquire(
          { accountId: input.accountId, keyId: input.keyId, extra: input.rateLimitSubjects },
          inputEstimate,
        )
      : undefined;
    const job = await metered.open({
      accountId: input.accountId,
      apiKeyId: input.keyId,
      channel: input.channel,
      kind: 'chat',
      model: model.id,
      price: priceSnapshot(model),
      params: { ...input.params, max_output_tokens: hold.maxOutputTokens },
      prompt: promptRecord(input.request),
      holdMrp: hold.amountMrp,
      holdTtlMs,
    });
    const rateLimit = grant ? summarize(grant.decision.states) : undefined;
    return { input, model, hold, grant, rateLimit, inputEstimate, job, routes };
  }

  async function* execute(
    input: RunChatInput,
    mode: 'stream' | 'buffered',
    presence: Presence,
  ): AsyncGenerator<ChatRunPart, ChatOutcome> {
    const began = performance.now();
    const admitted = await admit(input);
    const { model, hold, rateLimit, job } = admitted;
    const record = new RunRecord(began);
    let committed = false;

    // Our own controller: the client's abort must not stop the upstream read (we need its usage).
    const upstream = new AbortController();
    let drainTimer: NodeJS.Timeout | undefined;
    presence.onLeave(() => {
      drainTimer = setTimeout(() => upstream.abort(new Error('drain limit reached')), drainMs);
      drainTimer.unref?.();
    });
    // The answer's own deadline, measured from admission (the hold was taken then).
    let overran = false;
    const deadline = setTimeout(
      () => {
        overran = true;
        upstream.abort(new Error('answer time limit reached'));
      },
      maxAnswerMs - (performance.now() - began),
    );
    deadline.unref?.();
    const stopTimers = () => {
      clearTimeout(drainTimer);
      clearTimeout(deadline);
    };
    const fail = async (status: 'failed' | 'refused' | 'cancelled', error: unknown): Promise<never> => {
      stopTimers();
      await Promise.all([metered.release(job), jobs.finish(job.jobId, record.failure(status, error))]);
      throw error;
    };
    const settle = (route: CatalogRoute, provider: ProviderId, state: AttemptState, cutShort: boolean) => {
      stopTimers();
      return settleAnswer(admitted, record, {
        route,
        provider,
        state,
        cutShort,
        overran,
        committed,
        presence,
        fail,
      });
    };
    const start = (provider: ProviderId, state: AttemptState): ChatRunPart => ({
      type: 'start',
      jobId: job.jobId,
      model: model.id,
      provider,
      inputTokens: state.usage?.inputTokens ?? admitted.inputEstimate,
      ...(rateLimit ? { rateLimit } : {}),
      ...(state.info ? { info: state.info } : {}),
    });

    const routes = health.order(admitted.routes);
    let lastError: unknown;
    for (const route of routes) {
      if (presence.gone && !committed) break;
      if (!health.tryAcquire(route)) continue;
      const provider = providerOf(providers, route)!;
      record.lastProvider = provider.id;
      const attemptBegan = performance.now();
      const state = newAttemptState();
      try {
        const parts = provider.stream({
          ...input.request,
          maxOutputTokens: hold.maxOutputTokens,
          model: route.model ?? '',
          signal: upstream.signal,
        });
        for await (const part of readAttempt(parts, state, attemptBegan)) {
          if (mode !== 'stream') continue;
          if (!committed) {
            committed = true;
            record.firstByte();
            input.onFirstByte?.();
            if (!presence.gone) yield start(provider.id, state);
          }
          if (!presence.gone) yield part;
        }
        if (!state.finish) {
          throw new CoreError('upstream_error', `${provider.id}: stream ended without a finish`);
        }
      } catch (error) {
        const latencyMs = Math.round(performance.now() - attemptBegan);
        if (upstream.signal.aborted) {
          // Our drain limit or the answer's time limit: bill what was produced, as an estimate.
          const why = overran
            ? 'answer time limit reached; read stopped'
            : 'client left; read stopped at the drain limit';
          record.attempts.push(attemptRecord(route, 'error', latencyMs, why));
          health.neutral(route);
          // Nothing delivered yet (a buffered answer): failed work, not charged.
          if (overran && !committed && !presence.gone) return await fail('failed', overrunError(maxAnswerMs));
          const outcome = await settle(route, provider.id, state, true);
          if (overran && !presence.gone) throw overrunError(maxAnswerMs);
          return outcome;
        }
        const status = isProviderError(error) ? error.status : undefined;
        record.attempts.push(attemptRecord(route, 'error', latencyMs, errorText(error), status));
        lastError = error;
        const kind = classifyFailure(error);
        if (failsOver(kind)) health.failure(route, errorText(error));
        else health.neutral(route);
        if (kind === 'refused') return await fail('refused', refusal());
        if (failsOver(kind) && !committed) continue;
        if (committed) return await fail('failed', cutError(error));
        return await fail('failed', error);
      }
      health.success(route, state.firstPartMs ?? Math.round(performance.now() - attemptBegan));
      record.attempts.push(attemptRecord(route, 'ok', Math.round(performance.now() - attemptBegan)));
      if (!committed) {
        record.firstByte();
        if (!refusedEntirely(state)) {
          committed = true;
          input.onFirstByte?.();
          if (mode === 'stream' && !presence.gone) yield start(provider.id, state);
        }
      }
      return await settle(route, provider.id, state, false);
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
  }

  /** Ends the run with an answer: a refusal releases the hold, anything else is charged once. */
  async function settleAnswer(
    admitted: Admission,
    record: RunRecord,
    run: {
      route: CatalogRoute;
      provider: ProviderId;
      state: AttemptState;
      cutShort: boolean;
      /** Cut at the answer's time limit (see maxAnswerMs). */
      overran: boolean;
      committed: boolean;
      presence: Presence;
      fail: (status: 'refused', error: unknown) => Promise<never>;
    },
  ): Promise<ChatOutcome> {
    const { input, model, job, grant, rateLimit } = admitted;
    const { state, presence } = run;
    const toolCalls = toolCallsOf(state);
    const finishReason = state.finish?.reason ?? 'other';
    const estimated = run.cutShort || state.usage === undefined;
    const usage: Usage =
      run.cutShort || !state.usage
        ? await estimateUsage(
            input.request,
            state.reasoning + state.text + state.others.producedText(),
            toolCalls,
          )
        : state.usage;
    const others = state.others.results();
    const outcome = (status: ChatOutcome['status'], costMrp: bigint): ChatOutcome => ({
      jobId: job.jobId,
      model: model.id,
      provider: run.provider,
      status,
      finishReason,
      refused: status === 'refused',
      usage,
      usageEstimated: estimated,
      costMrp,
      text: state.text,
      ...(state.reasoning === '' ? {} : { reasoning: state.reasoning }),
      ...(signedThinking(state).length === 0 ? {} : { thinking: signedThinking(state) }),
      toolCalls,
      ...(state.logprobs ? { logprobs: state.logprobs } : {}),
      ...(others.length > 0 ? { choices: others } : {}),
      ...(state.info ? { info: state.info } : {}),
      ...(rateLimit ? { rateLimit } : {}),
    });

    // A safety refusal is free; with several answers only when every one was refused (the others
    // were delivered and are billed with it, at the upstream's usage).
    if (refusedEntirely(state)) {
      if (!run.committed) return await run.fail('refused', refusal());
      await Promise.all([
        metered.release(job),
        jobs.finish(job.jobId, {
          ...record.ended('refused', run.provider),
          costMrp: 0n,
          usage: usageRecord(usage, estimated),
          errorCode: 'content_refused',
          errorMessage: `refused for safety (${state.finish?.raw ?? 'content_filter'})`,
          output: { text: state.text, toolCalls },
        }),
      ]);
      return outcome('refused', 0n);
    }
    const status = presence.gone ? 'cancelled' : 'succeeded';
    // Money first: a crash after it leaves a charged job still marked running, never a free answer.
    const charge = await metered.settle(
      job,
      chatCostMrp(model, usage),
      `${model.id} via ${run.route.provider}`,
      {
        ...record.ended(status, run.provider),
        usage: usageRecord(usage, estimated),
        ...(presence.gone
          ? {
              errorCode: 'client_closed',
              errorMessage: run.cutShort
                ? 'client left; upstream read stopped at the drain limit, produced output billed as an estimate'
                : 'client left; upstream read to the end and billed from its usage',
            }
          : run.overran
            ? {
                errorCode: 'answer_too_long',
                errorMessage: 'answer cut at its time limit; produced output billed as an estimate',
              }
            : {}),
        output: {
          text: state.text,
          toolCalls,
          finishReason: state.finish?.raw ?? finishReason,
          ...(others.length > 0 ? { choices: others.map(({ logprobs: _, ...choice }) => choice) } : {}),
        },
        // Billing facts the jobs row has no column for: prompt-cache writes (Anthropic).
        ...(usage.cacheWriteInputTokens || usage.cacheWrite1hInputTokens
          ? {
              params: {
                cache_write_tokens: usage.cacheWriteInputTokens ?? 0,
                cache_write_1h_tokens: usage.cacheWrite1hInputTokens ?? 0,
              },
            }
          : {}),
      },
    );
    if (grant) void deps.rateLimits?.settle(grant, usage.inputTokens + usage.outputTokens);
    return outcome(status, charge.chargedMrp);
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

/** What the job row records about the run: attempts, timings, the provider last tried. */
class RunRecord {
  readonly attempts: ReturnType<typeof attemptRecord>[] = [];
  lastProvider: ProviderId | undefined;
  ttfbMs: number | undefined;

  constructor(private readonly began: number) {}

  firstByte(): void {
    this.ttfbMs ??= Math.round(performance.now() - this.began);
  }

  ended(status: 'succeeded' | 'cancelled' | 'refused', provider: ProviderId) {
    return {
      status,
      provider,
      attempts: this.attempts,
      latencyMs: Math.round(performance.now() - this.began),
      ttfbMs: this.ttfbMs,
    };
  }

  failure(status: 'failed' | 'refused' | 'cancelled', error: unknown) {
    return {
      status,
      costMrp: 0n,
      attempts: this.attempts,
      provider: this.lastProvider,
      latencyMs: Math.round(performance.now() - this.began),
      ttfbMs: this.ttfbMs,
      errorCode: isCoreError(error) ? error.code : 'internal',
      errorMessage: errorText(error),
    };
  }
}

/** The blocks the upstream signed or redacted (Anthropic); DeepSeek's plain reasoning has none. */
function signedThinking(state: AttemptState) {
  return state.thinking.filter(isSignedThinking);
}

function refusal(): CoreError {
  return new CoreError(
    'content_refused',
    'The model refused this request for safety reasons. It was not charged.',
    { retryable: false },
  );
}

/** An upstream failure after part of the answer was sent: the client must see an error, not a finish. */
function overrunError(maxAnswerMs: number): CoreError {
  const minutes = Math.round(maxAnswerMs / 60_000);
  return new CoreError(
    'upstream_unavailable',
    `The answer was cut after ${minutes < 1 ? `${Math.round(maxAnswerMs / 1000)} seconds` : `${minutes} minutes`}, the longest an answer may run; the part already sent was billed.`,
  );
}

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
