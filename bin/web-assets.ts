import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { WebAsset, WebAssets } from '../api/plugins/web-app.js';

const WEB_DIR = new URL('../web/', import.meta.url);
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

let built: Promise<WebAssets> | undefined;

/**
 * Bundles the web app (web/src, Preact) in memory with esbuild when the server starts: a fresh
 * clone needs no build command, and the pages can never be older than the code. Built once per
 * process; file names carry a content hash so browsers may cache them for good.
 */
export function buildWebAssets(): Promise<WebAssets> {
  built ??= bundle();
  return built;
}

async function bundle(): Promise<WebAssets> {
  const result = await build({
    entryPoints: [new URL('src/main.tsx', WEB_DIR).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    outdir: '/assets',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const files = new Map<string, WebAsset>();
  for (const file of result.outputFiles) {
    const name = file.path.slice(file.path.lastIndexOf('/assets/'));
    const extension = name.slice(name.lastIndexOf('.'));
    const body = Buffer.from(file.contents);
    files.set(name, {
      body,
      gzip: gzipSync(body, { level: 9 }),
      type: TYPES[extension] ?? 'application/octet-stream',
    });
  }
  const script = [...files.keys()].find((n) => n.endsWith('.js'));
  const style = [...files.keys()].find((n) => n.endsWith('.css'));
  if (!script) throw new Error('web bundle produced no script');
  const template = await import('node:fs/promises').then((fs) =>
    fs.readFile(new URL('index.html', WEB_DIR), 'utf8'),
  );
  const index = template
    .replace('%STYLE%', style ? `<link rel="stylesheet" href="${style}">` : '')
    .replace('%SCRIPT%', `<script type="module" src="${script}"></script>`);
  return { files, index };
}
