import type { Part } from '../contract.js';
import { providerProtocolError } from './errors.js';

/** Small helpers every vendor's parser shares; they read untrusted upstream JSON defensively. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonEvent(provider: string, data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch (error) {
    throw providerProtocolError(provider, 'stream event is not JSON', error);
  }
}

/** A non-negative integer count, or undefined when the field is absent, null or not a number. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.trunc(value) : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function textOf(parts: Part[]): string {
  let out = '';
  for (const part of parts) if (part.type === 'text') out += part.text;
  return out;
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
