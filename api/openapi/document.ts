import { z } from 'zod';
import { errorResponse } from '../schemas/responses.js';
import { anthropicErrorResponse } from '../schemas/responses-v1.js';

/** What the OpenAPI document needs to know about one registered route. */
export interface DocumentedRoute {
  method: string;
  url: string;
  summary?: string | undefined;
  description?: string | undefined;
  tags?: string[] | undefined;
  consumes?: string[] | undefined;
  body?: unknown;
  querystring?: unknown;
  params?: unknown;
  /** Success responses by status code (zod schemas of what the route sends). */
  response?: Record<string, unknown> | undefined;
}

export const isZodSchema = (value: unknown): value is z.ZodType =>
  typeof value === 'object' && value !== null && '_zod' in value;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of what a client sends: defaults are optional inputs. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  delete json.$schema;
  return json as Record<string, unknown>;
}

const SECURITY: { prefix: string; tag: string; security: Record<string, string[]>[] }[] = [
  { prefix: '/v1/', tag: 'Models API', security: [{ apiKey: [] }] },
  { prefix: '/account', tag: 'Account', security: [{ session: [] }, { apiKey: [] }, { bearerSession: [] }] },
  { prefix: '/auth/', tag: 'Sign-in', security: [] },
  { prefix: '/admin/', tag: 'Admin', security: [{ adminSession: [] }] },
  { prefix: '/webhooks/', tag: 'Webhooks', security: [] },
];

function sectionOf(url: string) {
  return SECURITY.find((s) => url.startsWith(s.prefix)) ?? { tag: 'Public', security: [] };
}

function parametersOf(schema: unknown, where: 'path' | 'query') {
  if (!isZodSchema(schema)) return [];
  const json = jsonSchemaOf(schema);
  const properties = (json.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

/** Error schemas shared by many routes: documented once, under components, and referenced. */
const SHARED: { name: string; schema: z.ZodType; description: string }[] = [
  {
    name: 'Error',
    schema: errorResponse,
    description: 'An error: `{ "error": { "message", "type", "param", "code" } }`',
  },
  {
    name: 'AnthropicError',
    schema: anthropicErrorResponse,
    description: 'An error in Anthropic\'s shape: `{ "type": "error", "error": { "type", "message" } }`',
  },
];

type MediaTypes = { content: Record<string, { schema: unknown }> };
const isMediaTypes = (value: unknown): value is MediaTypes =>
  typeof value === 'object' && value !== null && !isZodSchema(value) && 'content' in value;

function mediaContent(schema: z.ZodType): { schema: unknown } {
  const shared = SHARED.find((s) => s.schema === schema);
  if (shared) return { schema: { $ref: `#/components/schemas/${shared.name}` } };
  return { schema: jsonSchemaOf(schema, 'output') };
}

/** One documented response: JSON (a zod schema), several media types, or a redirect (3xx, no body). */
function responseObject(status: string, declared: unknown): Record<string, unknown> | undefined {
  const error = /^[45]/.test(status);
  if (isZodSchema(declared)) {
    const shared = SHARED.find((s) => s.schema === declared);
    const description = declared.description ?? shared?.description ?? (error ? 'Error' : 'Success');
    if (status.startsWith('3')) return { description };
    return { description, content: { 'application/json': mediaContent(declared) } };
  }
  if (isMediaTypes(declared)) {
    const content = Object.fromEntries(
      Object.entries(declared.content).flatMap(([type, { schema }]) =>
        isZodSchema(schema) ? [[type, mediaContent(schema)]] : [],
      ),
    );
    return { description: error ? 'Error' : 'Success', content };
  }
  return undefined;
}

/**
 * The documented responses (`4xx` as OpenAPI's `4XX`). A route that declares none (a chat
 * platform's webhook, answered in that platform's format) gets a plain description.
 */
function responsesOf(response: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, declared] of Object.entries(response ?? {})) {
    const documented = responseObject(status, declared);
    if (documented) out[status.toUpperCase()] = documented;
  }
  if (!Object.keys(out).some((s) => /^[23]/.test(s)))
    out['200'] = { description: "Success, in the calling platform's own format" };
  if (!out['4XX'])
    out['4XX'] = { description: 'An error', content: { 'text/plain': { schema: { type: 'string' } } } };
  return out;
}

/**
 * The OpenAPI 3.1 document of every registered route, built from the zod schemas each route
 * declares (`schema.body`, `schema.querystring`, `schema.params`) and its summary and tags.
 */
export function buildOpenApiDocument(
  routes: DocumentedRoute[],
  info: { serverUrl: string; version: string },
) {
  const paths: Record<string, Record<string, unknown>> = {};
  const sorted = [...routes].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  for (const route of sorted) {
    const path = route.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');
    const section = sectionOf(route.url);
    const parameters = [
      ...parametersOf(route.params, 'path'),
      ...(route.url.endsWith('*')
        ? [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }]
        : []),
      ...parametersOf(route.querystring, 'query'),
    ];
    const bodyType = route.consumes?.[0] ?? 'application/json';
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${path.replace(/[^\w]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: route.summary ?? `${route.method} ${route.url}`,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags ?? [section.tag],
      security: section.security,
      ...(parameters.length ? { parameters } : {}),
      ...(isZodSchema(route.body)
        ? { requestBody: { required: true, content: { [bodyType]: { schema: jsonSchemaOf(route.body) } } } }
        : {}),
      responses: responsesOf(route.response),
    };
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'AIport API',
      version: info.version,
      description:
        'One prepaid rupiah balance for many AI models. `/v1` speaks the OpenAI and Anthropic wire formats; ' +
        'money is a JSON number in rupiah in fields named `*_idr`.',
    },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key, `aip_...` (or the `x-api-key` header)',
        },
        bearerSession: {
          type: 'http',
          scheme: 'bearer',
          description: 'A session token `ses_...` from POST /auth/login',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'aiport_session',
          description: 'The web app session; writes also need the `x-csrf-token` header',
        },
        adminSession: {
          type: 'http',
          scheme: 'bearer',
          description: 'An admin session from POST /admin/login',
        },
      },
      schemas: Object.fromEntries(SHARED.map((s) => [s.name, jsonSchemaOf(s.schema, 'output')])),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
