/**
 * Writes web/src/api-schema.ts, the request and response types of every operation, from the
 * server's OpenAPI document. Run `npm run web:types` (it builds the document the way the server does); a test fails
 * when the committed file is out of date.
 */
type Schema = Record<string, unknown>;

function tsOf(schema: Schema | undefined, indent = ''): string {
  if (!schema || Object.keys(schema).length === 0) return 'unknown';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return union.map((s) => tsOf(s, indent)).join(' | ');
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => tsOf({ ...schema, type: t }, indent)).join(' | ');
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${tsOf(schema.items as Schema, indent)}>`;
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const inner = `${indent}  `;
      const lines = Object.entries(properties).map(
        ([name, property]) =>
          `${inner}${JSON.stringify(name)}${required.has(name) ? '' : '?'}: ${tsOf(property, inner)};`,
      );
      // A record (`additionalProperties: {schema}`), or an open object: fields beyond the named ones.
      const extra = schema.additionalProperties;
      const rest =
        extra === false ? undefined : typeof extra === 'object' ? tsOf(extra as Schema, inner) : 'unknown';
      if (lines.length === 0) return `Record<string, ${rest ?? 'never'}>`;
      if (rest !== undefined && extra !== undefined) lines.push(`${inner}[field: string]: unknown;`);
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
    default:
      return 'unknown';
  }
}

/** The JSON a successful call answers (any 2xx); `never` when it answers no JSON (files, redirects). */
function responseType(op: Schema): string {
  const responses = (op.responses ?? {}) as Record<string, { content?: Record<string, { schema?: Schema }> }>;
  const types = Object.entries(responses)
    .filter(([status]) => status.startsWith('2'))
    .flatMap(([, r]) => {
      const schema = r.content?.['application/json']?.schema;
      return schema ? [tsOf(schema, '    ')] : [];
    });
  return types.length ? [...new Set(types)].join(' | ') : 'never';
}

export function apiTypesSource(document: { paths: Record<string, Record<string, Schema>> }): string {
  const entries: string[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const body = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
      const bodySchema = body?.['application/json']?.schema;
      const parameters =
        (op.parameters as { name: string; in: string; required: boolean; schema: Schema }[]) ?? [];
      const query = parameters.filter((p) => p.in === 'query');
      const queryType = query.length
        ? tsOf(
            {
              type: 'object',
              properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
              required: query.filter((p) => p.required).map((p) => p.name),
            },
            '    ',
          )
        : 'never';
      entries.push(
        `  ${JSON.stringify(`${method.toUpperCase()} ${path}`)}: {\n    body: ${bodySchema ? tsOf(bodySchema, '    ') : 'never'};\n    query: ${queryType};\n    response: ${responseType(op)};\n  };`,
      );
    }
  }
  return `// Generated from /openapi.json by web/scripts/api-types.ts (npm run web:types). Do not edit.\n\n/** Request body, query and JSON answer of every operation, keyed by "METHOD /path". */\nexport interface Operations {\n${entries.join('\n')}\n}\n`;
}
