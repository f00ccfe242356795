import { z } from 'zod';

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

const ERROR_RESPONSE = {
  description: 'An error: `{ "error": { "message", "type", "param", "code" } }`',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** The documented success responses; a route that declares none answers a plain "Success". */
function successResponses(response: Record<string, unknown> | undefined): Record<string, unknown> {
  const documented = Object.entries(response ?? {}).filter(([, schema]) => isZodSchema(schema));
  if (documented.length === 0) return { '200': { description: 'Success' } };
  return Object.fromEntries(
    documented.map(([status, schema]) => [
      status,
      {
        description: 'Success',
        content: { 'application/json': { schema: jsonSchemaOf(schema as z.ZodType, 'output') } },
      },
    ]),
  );
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
      responses: { ...successResponses(route.response), '4XX': ERROR_RESPONSE },
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
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: {
                message: { type: 'string' },
                type: { type: 'string' },
                param: { type: ['string', 'null'] },
                code: { type: ['string', 'null'] },
              },
              required: ['message', 'type'],
            },
          },
          required: ['error'],
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
