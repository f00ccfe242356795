/**
 * The speech-to-text provider contract: one audio file in, its text and the upstream's usage out.
 * The file travels as the upstream reads it (multipart with an extension-bearing name and a matching
 * content type); the gateway has already bounded its size and duration.
 */

export type TranscriptionProviderId = 'openai';

export interface AudioFile {
  bytes: Uint8Array;
  /** A file name whose extension names the format (`voice.ogg`, `note.mp3`). */
  fileName: string;
  /** The audio's content type (`audio/ogg`). */
  contentType: string;
}

export interface TranscriptionRequest {
  /** The upstream's own model id (the catalog route's `model`). */
  model: string;
  audio: AudioFile;
  /** ISO-639-1 language of the audio, when known (improves accuracy and latency). */
  language?: string;
  /** Text to guide the style or continue a previous segment. */
  prompt?: string;
  signal?: AbortSignal;
}

export interface TranscriptionResult {
  text: string;
  /** Seconds of audio the upstream says it billed (`usage.type: "duration"`, or `duration`), when it says. */
  seconds?: number;
  /** Audio and text tokens, when the upstream bills tokens (`usage.type: "tokens"`); informative only. */
  inputTokens?: number;
  outputTokens?: number;
}

export interface TranscriptionProvider {
  readonly id: TranscriptionProviderId;
  /** Rejects with `ProviderError` on upstream failure (network, status, or an answer without text). */
  transcribe(request: TranscriptionRequest): Promise<TranscriptionResult>;
}
