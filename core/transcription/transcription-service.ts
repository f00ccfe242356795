/**
 * Speech to text for every channel (bots' voice notes today), through the one metered-job path.
 *
 *   const heard = await core.transcription.transcribe({ accountId, channel, stated, fetch });
 *   heard.text; heard.seconds; heard.costMrp
 *
 * Contract:
 * - `model()` is the catalog's default transcription model when it is served (a configured route),
 *   else undefined: callers then ask people to type instead.
 * - Refusals before anything is downloaded, nothing charged: `model_not_found` (no served model),
 *   `invalid_request` with `reason: "audio_too_long"` (stated duration above the model's limit) and
 *   `payload_too_large` with `reason: "audio_too_large"` (stated size above it), `rate_limited`
 *   (the account's request rate), `insufficient_balance` (the hold, see transcription-metering).
 *   Only then is `fetch` called for the audio; a fetch that fails releases the hold and rethrows.
 * - The downloaded file is checked again (real size; measured duration) before any upstream call.
 * - Routing: routes ordered by health, failing over exactly as chat does (failover.ts); a `request`
 *   failure (the upstream's 400 for this audio) ends the run with that error. Failures, refusals and
 *   our own errors release the hold: nothing is billed unless a text came back.
 * - Money: whole seconds × the model's per-second price, settled once (transcription-metering says
 *   which seconds). One jobs row (kind `transcription`), with every attempt; the text only if the
 *   account keeps content; the audio is never stored.
 */
import type { CatalogRoute, TranscriptionModel } from '../catalog/index.js';
import { CoreError } from '../errors.js';
import type { JobChannel, Jobs, ProviderAttempt } from '../jobs/index.js';
import {
  type MeteredJobs,
  type StatedAudio,
  transcriptionBilledSeconds,
  transcriptionCostMrp,
  transcriptionHoldSeconds,
  transcriptionPriceSnapshot,
} from '../metering/index.js';
import type {
  AudioFile,
  TranscriptionProvider,
  TranscriptionProviderId,
  TranscriptionResult,
} from '../providers/transcription/index.js';
import type { RateLimits } from '../ratelimit/index.js';
import { failOneShotJob, type RouteHealth, tryRoutes } from '../routing/index.js';
import { measureAudioSeconds } from './audio-duration.js';

export interface TranscribeInput {
  accountId: string;
  channel: JobChannel;
  /** What the platform states about the audio before it is downloaded. */
  stated: StatedAudio;
  /** Downloads the audio; called only after every refusal above passed and the hold is taken. */
  fetch: () => Promise<AudioFile>;
  /** ISO-639-1 language of the audio, when known. */
  language?: string;
}

export interface Transcription {
  jobId: string;
  model: string;
  text: string;
  /** Seconds billed. */
  seconds: number;
  costMrp: bigint;
}

export interface TranscriptionServiceDeps {
  catalog: {
    defaults: { transcription?: string };
    find(id: string): { kind: string } | undefined;
    get(id: string, kind: 'transcription'): TranscriptionModel;
  };
  metered: MeteredJobs;
  jobs: Jobs;
  providers: Partial<Record<TranscriptionProviderId, TranscriptionProvider>>;
  health: RouteHealth;
  rateLimits?: RateLimits;
}

const HOLD_TTL_MS = 15 * 60_000;

export function createTranscriptionService(deps: TranscriptionServiceDeps) {
  const { catalog, metered, providers, health } = deps;
  const providerOf = (route: CatalogRoute) => providers[route.provider as TranscriptionProviderId];

  function model(): TranscriptionModel | undefined {
    const id = catalog.defaults.transcription;
    if (id === undefined || catalog.find(id)?.kind !== 'transcription') return undefined;
    const found = catalog.get(id, 'transcription');
    return found.activeRoutes.some((r) => providerOf(r) !== undefined) ? found : undefined;
  }

  function checkSize(served: TranscriptionModel, audio: StatedAudio): void {
    if (audio.seconds !== undefined && audio.seconds > served.maxSeconds) {
      throw new CoreError('invalid_request', `The audio is longer than ${served.maxSeconds} seconds`, {
        details: { param: 'file', reason: 'audio_too_long', max_seconds: served.maxSeconds },
      });
    }
    if (audio.bytes !== undefined && audio.bytes > served.maxBytes) {
      throw new CoreError('payload_too_large', `The audio file is larger than ${served.maxBytes} bytes`, {
        details: { param: 'file', reason: 'audio_too_large', max_bytes: served.maxBytes },
      });
    }
  }

  return {
    model,

    async transcribe(input: TranscribeInput): Promise<Transcription> {
      const began = performance.now();
      const served = model();
      if (!served) throw new CoreError('model_not_found', 'No speech-to-text model is available');
      checkSize(served, input.stated);
      const routes = served.activeRoutes.filter((r) => providerOf(r) !== undefined);
      if (deps.rateLimits) await deps.rateLimits.acquire({ accountId: input.accountId }, 0);
      const holdSeconds = transcriptionHoldSeconds(served, input.stated);
      const holdMrp = transcriptionCostMrp(served, holdSeconds);
      const job = await metered.open({
        accountId: input.accountId,
        channel: input.channel,
        kind: 'transcription',
        model: served.id,
        price: transcriptionPriceSnapshot(served),
        params: { ...input.stated, hold_seconds: holdSeconds },
        holdMrp: holdMrp > 0n ? holdMrp : 1n,
        holdTtlMs: HOLD_TTL_MS,
      });

      const attempts: ProviderAttempt[] = [];
      const failed = (error: unknown) => failOneShotJob(deps, job, { attempts, began }, error);
      let audio: AudioFile;
      let measured: number | undefined;
      try {
        audio = await input.fetch();
        measured = measureAudioSeconds(audio.bytes);
        const longest = Math.max(measured ?? 0, input.stated.seconds ?? 0);
        checkSize(served, { bytes: audio.bytes.byteLength, seconds: longest });
      } catch (error) {
        return await failed(error);
      }

      let run: { result: TranscriptionResult; route: CatalogRoute };
      try {
        run = await tryRoutes({
          modelId: served.id,
          routes,
          health,
          attempts,
          call: (route) =>
            providerOf(route)!.transcribe({
              model: route.model ?? '',
              audio,
              ...(input.language === undefined ? {} : { language: input.language }),
            }),
        });
      } catch (error) {
        return await failed(error);
      }
      const { result, route } = run;
      const seconds = transcriptionBilledSeconds({
        ...input.stated,
        bytes: audio.bytes.byteLength,
        ...(result.seconds === undefined ? {} : { reported: result.seconds }),
        ...(measured === undefined ? {} : { measured }),
      });
      // Money first (the charge is durable before the job row says how it ended).
      const charge = await metered.settle(
        job,
        transcriptionCostMrp(served, seconds),
        `${served.id} via ${route.provider}`,
        {
          status: 'succeeded',
          provider: route.provider,
          attempts,
          latencyMs: Math.round(performance.now() - began),
          usage: {
            units: seconds,
            ...(result.inputTokens === undefined ? {} : { inputTokens: result.inputTokens }),
            ...(result.outputTokens === undefined ? {} : { outputTokens: result.outputTokens }),
          },
          output: { text: result.text },
        },
      );
      return { jobId: job.jobId, model: served.id, text: result.text, seconds, costMrp: charge.chargedMrp };
    },
  };
}

export type TranscriptionService = ReturnType<typeof createTranscriptionService>;
