import type { ServerResponse } from 'node:http';
import { answerEmbedding } from './gemini-embeddings.js';
import { issueSignature, signatureProblem, validatesSignatures } from './gemini-signatures.js';
import { type EchoInput, type EchoReply, echo } from './llm-echo.js';
import { type FakeLlmServer, type LlmFault, sendJson, startLlmServer } from './llm-server.js';
import { dataFrame, writeSse } from './sse.js';

/**
 * A fake Gemini (Generative Language API, v1beta). It speaks `:embedContent` and
 * `:batchEmbedContents` (gemini-embeddings),
 * `POST /v1beta/models/{model}:generateContent` (one `GenerateContentResponse`) and
 * `:streamGenerateContent?alt=sse` (`data:` events framed with `\r\n\r\n`, no end sentinel, every
 * chunk carrying the cumulative `usageMetadata`, the last one the `finishReason`; without `alt=sse`
 * a JSON array of the same chunks). The key comes in `x-goog-api-key` or `?key=`; a wrong one gets
 * Google's 400 `INVALID_ARGUMENT` / `API_KEY_INVALID`, a missing one 403 `PERMISSION_DENIED`. Errors
 * are `{"error":{"code","message","status","details"}}` (429 carries a `RetryInfo` detail). Replies
 * echo (see llm-echo). Faults: error statuses, latency, stall, cut, usage missing/zero, an output
 * safety block (`safety`: finishReason SAFETY or `finishReason` of choice, empty parts), a blocked
 * prompt (`promptBlocked`: HTTP 200, `promptFeedback.blockReason`, no candidates), scripted text and
 * token counts with cached and thoughts tokens. Function calls come without an `id` (as the Gemini API
 * sends them) and, from Gemini 3 models, with a `thoughtSignature` that the next request must send
 * back (see gemini-signatures).
 */

export interface GeminiFault extends LlmFault {
  reply?: {
    text?: string;
    inputTokens?: number;
    outputTokens?: number;
    cachedTokens?: number;
    thoughtsTokens?: number;
  };
  /** HTTP 200 with `promptFeedback.blockReason` (this value, default PROHIBITED_CONTENT) and no candidates. */
  promptBlocked?: boolean | string;
  /** With `safety`, the finish reason to send (default SAFETY). */
  finishReason?: string;
}

export type FakeGemini = FakeLlmServer<GeminiFault>;
export const FAKE_GEMINI_KEY = 'fake-gemini-key';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const PATH =
  /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/;

/** The models `models.list` names (current Gemini 3 models and the 2.5 ones still served). */
export const GEMINI_MODELS = [
  'gemini-3.5-flash',
  'gemini-3.5-flash-lite',
  'gemini-3.1-pro-preview',
  'gemini-3-flash-preview',
  'gemini-3.1-flash-image',
  'gemini-3-pro-image',
  'gemini-2.5-flash-lite',
  'gemini-embedding-001',
];

export function startFakeGemini(
  options: { apiKey?: string; port?: number; models?: string[] } = {},
): Promise<FakeGemini> {
  const apiKey = options.apiKey ?? FAKE_GEMINI_KEY;
  const models = options.models ?? GEMINI_MODELS;
  let counter = 0;
  return startLlmServer<GeminiFault>(({ request, res, fault }) => {
    const match = PATH.exec(request.path);
    const listing = request.method === 'GET' && request.path === '/v1beta/models';
    if (!listing && (request.method !== 'POST' || !match)) {
      sendError(res, 404, `Requested entity was not found.`);
      return;
    }
    const key = request.headers['x-goog-api-key'] ?? request.query.key;
    if (key === undefined) {
      sendError(
        res,
        403,
        "Method doesn't allow unregistered callers. Please use API Key or other form of API consumer identity to call this API.",
      );
      return;
    }
    if (key !== apiKey) {
      sendError(res, 400, 'API key not valid. Please pass a valid API key.', [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'API_KEY_INVALID',
          domain: 'googleapis.com',
        },
      ]);
      return;
    }
    if (listing) {
      sendJson(res, 200, modelsPage(models, request.query));
      return;
    }
    if (fault.status !== undefined) {
      const details =
        fault.status === 429
          ? [
              {
                '@type': 'type.googleapis.com/google.rpc.RetryInfo',
                retryDelay: fault.retryAfter ? `${fault.retryAfter}s` : '34.4s',
              },
            ]
          : [];
      sendError(res, fault.status, fault.errorMessage ?? 'The service is currently unavailable.', details);
      return;
    }
    const body = request.body as Record<string, unknown> | undefined;
    const method = match?.[2];
    if (method === 'embedContent' || method === 'batchEmbedContents') {
      answerEmbedding(decodeURIComponent(match?.[1] ?? ''), method, body, res, fault, (status, message) =>
        sendError(res, status, message),
      );
      return;
    }
    if (!body || !Array.isArray(body.contents) || body.contents.length === 0) {
      sendError(res, 400, '* GenerateContentRequest.contents: contents is not specified');
      return;
    }
    const model = decodeURIComponent(match?.[1] ?? '');
    const problem = validatesSignatures(model)
      ? signatureProblem(body.contents as Parameters<typeof signatureProblem>[0])
      : undefined;
    if (problem !== undefined) {
      sendError(res, 400, problem);
      return;
    }
    counter += 1;
    const reply = echo(echoInput(body), fault.reply?.text);
    const chunks = responseChunks({ model, reply, fault, responseId: `fake-response-${counter}` });
    if (match?.[2] === 'generateContent') {
      sendJson(res, 200, merge(chunks), { fault });
    } else if (request.query.alt === 'sse') {
      writeSse(
        res,
        chunks.map((chunk) => dataFrame(chunk, '\r\n')),
        fault,
      );
    } else {
      sendJson(res, 200, chunks, { fault });
    }
  }, options);
}

function sendError(res: ServerResponse, status: number, message: string, details: unknown[] = []): void {
  sendJson(res, status, {
    error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN', details },
  });
}

function echoInput(body: Record<string, unknown>): EchoInput {
  let imageCount = 0;
  const partsText = (parts: unknown): string => {
    let text = '';
    for (const part of Array.isArray(parts) ? (parts as Array<Record<string, unknown>>) : []) {
      if (typeof part.text === 'string') text += part.text;
      if (part.inlineData || part.fileData) imageCount += 1;
      const response = (part.functionResponse as { response?: { content?: unknown } } | undefined)?.response;
      if (response)
        text += typeof response.content === 'string' ? response.content : JSON.stringify(response);
    }
    return text;
  };
  const texts = [partsText((body.systemInstruction as { parts?: unknown } | undefined)?.parts)];
  let lastUserText = '';
  for (const content of body.contents as Array<{ role?: string; parts?: unknown }>) {
    const text = partsText(content.parts);
    texts.push(text);
    if (content.role !== 'model') lastUserText = text;
  }
  const declarations = (
    Array.isArray(body.tools) ? (body.tools as Array<{ functionDeclarations?: unknown }>) : []
  )
    .flatMap((tool) => (Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : []))
    .map((declaration: { name?: string }) => declaration.name ?? '');
  const config = (
    body.toolConfig as { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } }
  )?.functionCallingConfig;
  const forcedTool =
    config?.mode === 'ANY' ? (config.allowedFunctionNames?.[0] ?? declarations[0]) : undefined;
  return { texts, lastUserText, imageCount, toolNames: declarations, ...(forcedTool ? { forcedTool } : {}) };
}

interface ChunkInput {
  model: string;
  reply: EchoReply;
  fault: GeminiFault;
  responseId: string;
}

type Chunk = Record<string, unknown>;

function responseChunks({ model, reply, fault, responseId }: ChunkInput): Chunk[] {
  const prompt = fault.reply?.inputTokens ?? reply.inputTokens;
  const cached = fault.reply?.cachedTokens ?? 0;
  const thoughts = fault.reply?.thoughtsTokens ?? 0;
  const common = { modelVersion: model, responseId };
  const usage = (candidates: number | undefined): Chunk => {
    if (fault.usage === 'missing') return {};
    if (fault.usage === 'zero') {
      return { usageMetadata: { promptTokenCount: 0, candidatesTokenCount: 0, totalTokenCount: 0 } };
    }
    const meta: Chunk = { promptTokenCount: prompt, totalTokenCount: prompt + (candidates ?? 0) + thoughts };
    if (candidates !== undefined) meta.candidatesTokenCount = candidates;
    if (thoughts > 0) meta.thoughtsTokenCount = thoughts;
    if (cached > 0) meta.cachedContentTokenCount = cached;
    return { usageMetadata: meta };
  };

  if (fault.promptBlocked) {
    const blockReason = typeof fault.promptBlocked === 'string' ? fault.promptBlocked : 'PROHIBITED_CONTENT';
    return [{ promptFeedback: { blockReason, safetyRatings: [] }, ...usage(undefined), ...common }];
  }
  if (fault.safety) {
    const candidate = {
      content: { role: 'model', parts: [] },
      finishReason: fault.finishReason ?? 'SAFETY',
      index: 0,
      safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }],
    };
    return [{ candidates: [candidate], ...usage(0), ...common }];
  }
  if (reply.toolCall) {
    const part: Chunk = {
      functionCall: { name: reply.toolCall.name, args: JSON.parse(reply.toolCall.arguments) },
    };
    if (validatesSignatures(model)) part.thoughtSignature = issueSignature(responseId);
    const candidate = { content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 };
    return [{ candidates: [candidate], ...usage(reply.outputTokens), ...common }];
  }
  const total = fault.reply?.outputTokens ?? reply.outputTokens;
  return reply.deltas.map((text, i) => {
    const last = i === reply.deltas.length - 1;
    const candidate: Chunk = { content: { role: 'model', parts: [{ text }] }, index: 0 };
    if (last) candidate.finishReason = 'STOP';
    const soFar = last ? total : Math.min(total, i + 1);
    return { candidates: [candidate], ...usage(soFar), ...common };
  });
}

/** The non-stream answer: the chunks' text joined, the last chunk's finish and usage. */
function merge(chunks: Chunk[]): Chunk {
  const last = chunks.at(-1) ?? {};
  const candidates = last.candidates as Array<Chunk> | undefined;
  if (!candidates) return last;
  const parts: Chunk[] = [];
  let text = '';
  for (const chunk of chunks) {
    const chunkParts = ((chunk.candidates as Array<{ content: { parts: Chunk[] } }>)[0]?.content.parts ??
      []) as Chunk[];
    for (const part of chunkParts) {
      if (typeof part.text === 'string') text += part.text;
      else parts.push(part);
    }
  }
  const merged = text === '' ? parts : [{ text }, ...parts];
  return { ...last, candidates: [{ ...candidates[0], content: { role: 'model', parts: merged } }] };
}

/** `models.list`: `pageSize` (default 50, at most 1000) models from `pageToken` on, `nextPageToken` while more remain. */
function modelsPage(ids: string[], query: Record<string, string>) {
  const size = Math.min(1000, Math.max(1, Number(query.pageSize ?? 50) || 50));
  const start = Number(query.pageToken ?? 0) || 0;
  const models = ids.slice(start, start + size).map((id) => ({
    name: `models/${id}`,
    displayName: id,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
  }));
  return start + size < ids.length ? { models, nextPageToken: String(start + size) } : { models };
}
