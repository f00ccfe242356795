export { measureAudioSeconds, opusPacketSamples } from './audio-duration.js';
export {
  createTranscriptionService,
  type TranscribeInput,
  type Transcription,
  type TranscriptionService,
  type TranscriptionServiceDeps,
} from './transcription-service.js';
