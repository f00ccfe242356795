import type { OpenApiDocument } from './document.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Operation {
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
}

const AUTH_NAMES: Record<string, string> = {
  apiKey: 'API key',
  bearerSession: 'session token',
  session: 'session cookie + CSRF',
  adminSession: 'admin session',
};

function typeOf(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
  return String(schema.type ?? schema.format ?? 'any');
}

function operationHtml(method: string, path: string, op: Operation): string {
  const auth = op.security.flatMap((s) => Object.keys(s).map((k) => AUTH_NAMES[k] ?? k));
  const params = op.parameters?.length
    ? `<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th></tr></thead><tbody>${op.parameters
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' <em>required</em>' : ''}</td><td>${p.in}</td><td>${escapeHtml(typeOf(p.schema))}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const body = op.requestBody
    ? Object.entries(op.requestBody.content)
        .map(
          ([type, { schema }]) =>
            `<details><summary>Request body (${escapeHtml(type)})</summary><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></details>`,
        )
        .join('')
    : '';
  const id = `${method}-${path}`.replace(/[^\w-]/g, '_');
  return `<section class="op" id="${id}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary)}${auth.length ? ` <small>Auth: ${escapeHtml(auth.join(' or '))}</small>` : ''}</p>
${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}${params}${body}</section>`;
}

/** A readable, script-free reference of the OpenAPI document (so the strict page CSP holds). */
export function docsPage(document: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods) as [string, Operation][]) {
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)]);
    }
  }
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<h2 id="${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('\n')}`)
    .join('\n');
  const toc = [...byTag.keys()].map((t) => `<a href="#${escapeHtml(t)}">${escapeHtml(t)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AIport API reference</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1d2330;line-height:1.45}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f4f5f7;padding:.75rem;overflow:auto;border-radius:6px}
.op{border-top:1px solid #e2e4e8;padding:.5rem 0}.op h3{margin:.4rem 0;font-size:1rem;word-break:break-all}
.m{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;color:#fff;padding:.1em .4em;font-size:.8em}
.get{background:#1f6feb}.post{background:#1a7f37}.patch{background:#9a6700}.delete{background:#cf222e}.put{background:#8250df}
table{border-collapse:collapse;width:100%}td,th{text-align:left;border-bottom:1px solid #eee;padding:.25rem}small{color:#57606a}
a{color:#0b5cad}</style></head>
<body><h1>AIport API reference</h1>
<p>${escapeHtml(document.info.description)} Base URL: <code>${escapeHtml(document.servers[0]?.url ?? '')}</code>.
Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${document.openapi}). Back to <a href="/">the dashboard</a>.</p>
<nav>${toc}</nav>
${sections}
</body></html>`;
}
