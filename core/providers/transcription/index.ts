import { OPENAI_VENDOR } from '../openai/provider.js';
import type { HttpClient } from '../shared/http.js';
import type { TranscriptionProvider, TranscriptionProviderId } from './contract.js';
import { createOpenAITranscriptionProvider } from './openai-transcription.js';

export type {
  AudioFile,
  TranscriptionProvider,
  TranscriptionProviderId,
  TranscriptionRequest,
  TranscriptionResult,
} from './contract.js';
export { createOpenAITranscriptionProvider } from './openai-transcription.js';

export interface TranscriptionProvidersConfig {
  openai?: { baseUrl: string; apiKey: string };
}

/** The configured speech-to-text providers only. */
export function createTranscriptionProviders(
  config: TranscriptionProvidersConfig,
  http: HttpClient,
): Partial<Record<TranscriptionProviderId, TranscriptionProvider>> {
  const providers: Partial<Record<TranscriptionProviderId, TranscriptionProvider>> = {};
  if (config.openai) {
    providers.openai = createOpenAITranscriptionProvider(
      { id: 'openai', nonRetryableErrorTypes: OPENAI_VENDOR.nonRetryableErrorTypes },
      { ...config.openai, http },
    );
  }
  return providers;
}
