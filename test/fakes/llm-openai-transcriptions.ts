import type { ServerResponse } from 'node:http';
import type { OpenAIWireFault } from './llm-openai-wire.js';
import { type RecordedRequest, sendJson } from './llm-server.js';

/**
 * `POST /v1/audio/transcriptions` as OpenAI documents it (`CreateTranscriptionRequest`, multipart):
 * `file` and `model` required; the format is read from the file name's extension (flac, mp3, mp4,
 * mpeg, mpga, m4a, ogg, wav, webm; `oga` only for whisper-1, gpt-4o models answer "Unsupported file
 * format oga"); 25 MiB at most (413); bytes that are no audio of a known container answer 400 "Audio
 * file might be corrupted or unsupported". `response_format` `json` (default) for every model;
 * `text` and `verbose_json` for whisper-1 only. Usage in `json`: whisper-1 `{type:"duration",
 * seconds}`, gpt-4o models `{type:"tokens", ...}`.
 *
 * What it "hears": an Ogg stream's `SPOKEN=` comment (see audio-samples), else "(no speech)". The
 * duration is what a player shows: an Ogg stream's last granule position less its pre-skip, a WAV's
 * data over its byte rate, else the size at 16 kB/s. Faults: `reply.text` scripts the transcript,
 * `usage: "missing"` drops usage, and (in the caller) error statuses, latency, stall and cut.
 */

const MODELS = new Set([
  'whisper-1',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'gpt-4o-mini-transcribe-2025-12-15',
  'gpt-4o-transcribe-diarize',
]);
const FORMATS = ['flac', 'mp3', 'mp4', 'mpeg', 'mpga', 'm4a', 'ogg', 'wav', 'webm'];
const MAX_BYTES = 26_214_400;

type SendError = (
  status: number,
  type: string,
  message: string,
  param: string | null,
  code?: string | null,
) => void;

export async function answerTranscription(
  request: RecordedRequest,
  res: ServerResponse,
  fault: OpenAIWireFault,
  sendError: SendError,
): Promise<void> {
  let form: FormData;
  try {
    form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': String(request.headers['content-type'] ?? '') },
      body: request.rawBytes,
    }).formData();
  } catch {
    return sendError(400, 'invalid_request_error', 'Could not parse multipart form', null);
  }
  const model = form.get('model');
  const file = form.get('file');
  if (typeof model !== 'string' || !(file instanceof Blob)) {
    return sendError(400, 'invalid_request_error', "Missing required parameter: 'file'.", 'file');
  }
  if (!MODELS.has(model)) {
    return sendError(
      404,
      'invalid_request_error',
      `The model \`${model}\` does not exist or you do not have access to it.`,
      null,
      'model_not_found',
    );
  }
  const whisper = model === 'whisper-1';
  const name = file instanceof File ? file.name : 'file';
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (extension === 'oga' && !whisper) {
    return sendError(
      400,
      'invalid_request_error',
      'Unsupported file format oga',
      'file',
      'unsupported_value',
    );
  }
  if (!FORMATS.includes(extension) && extension !== 'oga') {
    return sendError(
      400,
      'invalid_request_error',
      `Invalid file format. Supported formats: ${JSON.stringify(FORMATS)}`,
      'file',
      'unsupported_value',
    );
  }
  if (file.size > MAX_BYTES) {
    return sendError(
      413,
      'invalid_request_error',
      `Invalid file size: ${file.size} bytes. Maximum allowed size is ${MAX_BYTES} bytes.`,
      'file',
    );
  }
  const format = form.get('response_format') ?? 'json';
  if (format !== 'json' && (!whisper || (format !== 'text' && format !== 'verbose_json'))) {
    return sendError(
      400,
      'invalid_request_error',
      `response_format '${String(format)}' is not compatible with model '${model}'. Use 'json'.`,
      'response_format',
      'unsupported_value',
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const heard = listen(bytes);
  if (!heard) {
    return sendError(
      400,
      'invalid_request_error',
      'Audio file might be corrupted or unsupported',
      'file',
      'invalid_value',
    );
  }
  const text = fault.reply?.text ?? heard.spoken ?? '(no speech)';
  if (format === 'text') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(text);
    return;
  }
  const seconds = Math.ceil(heard.seconds);
  const words = text.split(/\s+/).filter(Boolean).length;
  const usage = whisper
    ? { type: 'duration', seconds }
    : {
        type: 'tokens',
        input_tokens: seconds * 10,
        input_token_details: { text_tokens: 0, audio_tokens: seconds * 10 },
        output_tokens: words,
        total_tokens: seconds * 10 + words,
      };
  const body =
    format === 'verbose_json'
      ? { task: 'transcribe', language: 'indonesian', duration: heard.seconds, text, segments: [], usage }
      : { text, ...(fault.usage === 'missing' ? {} : { usage }) };
  sendJson(res, 200, body, { fault });
}

/** What a decoder would find in the file: its words and its playing time; undefined if no audio. */
function listen(bytes: Uint8Array): { spoken?: string; seconds: number } | undefined {
  const text = Buffer.from(bytes);
  if (text.length < 12) return undefined;
  if (text.subarray(0, 4).toString('latin1') === 'OggS') {
    const pages = [...text.toString('latin1').matchAll(/OggS/g)].map((m) => m.index);
    const last = pages.at(-1) ?? 0;
    const granule = Number(text.readBigUInt64LE(last + 6));
    const head = text.indexOf('OpusHead');
    const preSkip = head >= 0 ? text.readUInt16LE(head + 10) : 0;
    // The comment is length-prefixed (RFC 7845 §5.2): the four bytes before it give its size.
    const at = text.indexOf('SPOKEN=');
    const words = at >= 4 ? text.toString('utf8', at + 7, at + text.readUInt32LE(at - 4)) : undefined;
    return { ...(words ? { spoken: words } : {}), seconds: Math.max(0, granule - preSkip) / 48_000 };
  }
  if (
    text.subarray(0, 4).toString('latin1') === 'RIFF' &&
    text.subarray(8, 12).toString('latin1') === 'WAVE'
  ) {
    return { seconds: Math.max(0, text.length - 44) / text.readUInt32LE(28) };
  }
  const id3 = text.subarray(0, 3).toString('latin1') === 'ID3';
  const frame = text[0] === 0xff && ((text[1] ?? 0) & 0xe0) === 0xe0;
  const mp4 = text.subarray(4, 8).toString('latin1') === 'ftyp';
  const flac = text.subarray(0, 4).toString('latin1') === 'fLaC';
  const webm = text.readUInt32BE(0) === 0x1a45dfa3;
  return id3 || frame || mp4 || flac || webm ? { seconds: text.length / 16_000 } : undefined;
}
