/**
 * Writes web/src/api-schema.ts, the request types of every operation, from the server's OpenAPI
 * document. Run `npm run web:types` (it builds the document the way the server does); a test fails
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
      if (lines.length === 0) return 'Record<string, unknown>';
      return `{\n${lines.join('\n')}\n${indent}}`;
    }
    default:
      return 'unknown';
  }
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
        `  ${JSON.stringify(`${method.toUpperCase()} ${path}`)}: {\n    body: ${bodySchema ? tsOf(bodySchema, '    ') : 'never'};\n    query: ${queryType};\n  };`,
      );
    }
  }
  return `// Generated from /openapi.json by web/scripts/api-types.ts (npm run web:types). Do not edit.\n\n/** Request body and query of every operation, keyed by "METHOD /path". */\nexport interface Operations {\n${entries.join('\n')}\n}\n`;
}
