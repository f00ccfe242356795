import type { TranscriptionModel } from '../catalog/index.js';
import type { PriceSnapshot } from '../jobs/index.js';

/**
 * The money policy of speech to text, billed per whole second of audio (rounded up) at the model's
 * per-second price, so the cost is exact: seconds × price, in mRp.
 *
 * Hold (taken before the audio is downloaded, from what the platform states): the stated duration,
 * or what the stated size can hold at the lowest speech bitrate (6 kbit/s, Opus's floor), whichever
 * is longer, capped at the model's longest audio; the cap itself when the size is not stated.
 *
 * Billed seconds: the longest of the upstream's reported duration, our own measurement of the file
 * (see audio-duration), the platform's stated duration, and what the file's size holds at 256 kbit/s
 * (above any speech encoding on the chat platforms: a file no one can measure still cannot claim
 * less audio than its bytes carry). At least one second. The charge may exceed the hold only for
 * audio below the lowest bitrate; the metered path takes that from free balance, never below zero.
 */

/** Bytes per second of the lowest-bitrate speech (6 kbit/s Opus). */
const MIN_BYTES_PER_SECOND = 750;
/** Bytes per second of the highest-bitrate compressed speech we expect (256 kbit/s). */
const MAX_BYTES_PER_SECOND = 32_000;

export interface StatedAudio {
  /** Seconds the platform states (Telegram `duration`, Discord `duration_secs`). */
  seconds?: number;
  /** Bytes the platform states (Telegram `file_size`, Slack `size`, Discord `size`). */
  bytes?: number;
}

export interface AudioMeasures extends StatedAudio {
  /** Seconds the upstream reported. */
  reported?: number;
  /** Seconds measured from the file. */
  measured?: number;
}

export function transcriptionHoldSeconds(model: TranscriptionModel, stated: StatedAudio): number {
  if (stated.bytes === undefined) return model.maxSeconds;
  const bound = Math.max(wholeSeconds(stated.seconds), Math.ceil(stated.bytes / MIN_BYTES_PER_SECOND));
  return Math.min(model.maxSeconds, Math.max(1, bound));
}

export function transcriptionBilledSeconds(audio: AudioMeasures): number {
  return Math.max(
    1,
    wholeSeconds(audio.reported),
    wholeSeconds(audio.measured),
    wholeSeconds(audio.seconds),
    audio.bytes === undefined ? 0 : Math.ceil(audio.bytes / MAX_BYTES_PER_SECOND),
  );
}

export function transcriptionCostMrp(model: TranscriptionModel, seconds: number): bigint {
  return BigInt(seconds) * model.price.perAudioSecondMrp;
}

export function transcriptionPriceSnapshot(model: TranscriptionModel): PriceSnapshot {
  return { perAudioSecondMrp: model.price.perAudioSecondMrp.toString() };
}

function wholeSeconds(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
}
