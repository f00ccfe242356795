import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { docsPage } from '../openapi/docs-page.js';
import {
  buildOpenApiDocument,
  type DocumentedRoute,
  isZodSchema,
  type OpenApiDocument,
} from '../openapi/document.js';
import { errorResponse } from '../schemas/responses.js';

declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    /** Request body media types; JSON when absent. */
    consumes?: string[];
    /** Left out of the public document (metrics, the web app's files). */
    hide?: boolean;
  }
}

/**
 * Route schemas in this server are zod schemas. They are declared on each route for the OpenAPI
 * document and checked in the handler by `validate()` (one error format, OpenAI-shaped), so the
 * compiler Fastify would run lets zod schemas pass and refuses anything else at start-up.
 */
async function openApiPlugin(
  app: FastifyInstance,
  options: { publicUrl: string; version: string; checkResponses?: boolean },
): Promise<void> {
  const routes: DocumentedRoute[] = [];
  app.setValidatorCompiler(({ schema, url }) => {
    if (!isZodSchema(schema)) throw new Error(`Route ${url}: declare route schemas with zod`);
    return (data) => ({ value: data });
  });
  // Response schemas document what a route sends; the body is written as JSON either way. With
  // `checkResponses` (tests) a body that does not match its documented schema is a failure, so the
  // document cannot drift from the server.
  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => {
    if (!isZodSchema(schema)) throw new Error(`Route ${method} ${url}: declare response schemas with zod`);
    return (data) => {
      if (options.checkResponses) {
        const checked = schema.safeParse(data);
        if (!checked.success) {
          throw new Error(
            `${method} ${url} ${httpStatus}: the response does not match its documented schema: ${checked.error.message}`,
          );
        }
      }
      return JSON.stringify(data);
    };
  });

  app.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    // Errors are documented (and, in tests, checked) like successes: every route that declares its
    // answers and no error shape of its own errs in the OpenAI shape the error handler writes.
    const declared = route.schema?.response as Record<string, unknown> | undefined;
    if (route.schema && declared) {
      route.schema.response = { '4xx': errorResponse, '5xx': errorResponse, ...declared };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routes.push({
        method,
        url: route.url,
        summary: route.schema?.summary,
        description: route.schema?.description,
        tags: route.schema?.tags,
        consumes: route.schema?.consumes,
        body: route.schema?.body,
        querystring: route.schema?.querystring,
        params: route.schema?.params,
        response: route.schema?.response as Record<string, unknown> | undefined,
      });
    }
  });

  // Built on first request, when every route (other shells' included) is registered.
  let document: OpenApiDocument | undefined;
  let page: string | undefined;
  const documentOf = () => {
    document ??= buildOpenApiDocument(routes, { serverUrl: options.publicUrl, version: options.version });
    return document;
  };

  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return documentOf();
  });

  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => {
    page ??= docsPage(documentOf());
    return reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=300').send(page);
  });
}

export default fp(openApiPlugin, { name: 'openapi' });
