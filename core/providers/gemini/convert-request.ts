import type { ChatMessage, ChatRequest, Part, ToolChoice } from '../contract.js';
import { type JsonObject, textOf } from '../shared/wire.js';

/**
 * Builds a `generateContent` body. Roles are `user` and `model`; an assistant call goes back as a
 * `functionCall` part with its id and, on the same part, its `thoughtSignature` (Gemini 3 refuses a
 * function-calling turn whose signed call lost its signature); a tool result becomes a
 * `functionResponse` part in a user turn with the id and name of the call it answers; consecutive
 * turns of the same role are merged. Tool parameters and
 * response schemas are sent as JSON Schema (`parametersJsonSchema`, `responseJsonSchema`).
 */
export function toGenerateContentBody(request: ChatRequest): JsonObject {
  const toolNames = new Map<string, string>();
  for (const message of request.messages) {
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) toolNames.set(call.id, call.name);
  }

  const contents: Array<{ role: 'user' | 'model'; parts: JsonObject[] }> = [];
  for (const message of request.messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = convertMessage(message, toolNames);
    const last = contents.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  }

  const body: JsonObject = { contents };
  if (request.system !== undefined && request.system !== '') {
    body.systemInstruction = { parts: [{ text: request.system }] };
  }
  const generationConfig: JsonObject = {};
  if (request.maxOutputTokens !== undefined) generationConfig.maxOutputTokens = request.maxOutputTokens;
  if (request.temperature !== undefined) generationConfig.temperature = request.temperature;
  if (request.topP !== undefined) generationConfig.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) generationConfig.stopSequences = request.stop;
  const format = request.responseFormat;
  if (format !== undefined && format.type !== 'text') {
    generationConfig.responseMimeType = 'application/json';
    if (format.type === 'json_schema' && format.schema !== undefined)
      generationConfig.responseJsonSchema = format.schema;
  }
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;

  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
    if (request.toolChoice !== undefined)
      body.toolConfig = { functionCallingConfig: convertToolChoice(request.toolChoice) };
  }
  return body;
}

function convertMessage(message: ChatMessage, toolNames: Map<string, string>): JsonObject[] {
  switch (message.role) {
    case 'user':
      return convertParts(message.content);
    case 'assistant': {
      const parts = convertParts(message.content);
      for (const call of message.toolCalls ?? []) {
        parts.push({
          functionCall: { id: call.id, name: call.name, args: parseObject(call.arguments) ?? {} },
          ...(call.signature ? { thoughtSignature: call.signature } : {}),
        });
      }
      return parts;
    }
    case 'tool': {
      const text = textOf(message.content);
      const response = parseObject(text) ?? { content: text };
      const name = toolNames.get(message.toolCallId) ?? message.toolCallId;
      return [{ functionResponse: { id: message.toolCallId, name, response } }];
    }
  }
}

function convertParts(parts: Part[]): JsonObject[] {
  const out: JsonObject[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') out.push({ text: part.text });
    } else if ('data' in part) {
      out.push({ inlineData: { mimeType: part.mediaType, data: part.data } });
    } else {
      out.push({ fileData: { mimeType: part.mediaType ?? guessImageType(part.url), fileUri: part.url } });
    }
  }
  return out;
}

function guessImageType(url: string): string {
  const path = url.split(/[?#]/)[0]?.toLowerCase() ?? '';
  if (path.endsWith('.png')) return 'image/png';
  if (path.endsWith('.webp')) return 'image/webp';
  if (path.endsWith('.gif')) return 'image/gif';
  return 'image/jpeg';
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

function convertToolChoice(choice: ToolChoice): JsonObject {
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  return { mode: 'ANY', allowedFunctionNames: [choice.name] };
}
