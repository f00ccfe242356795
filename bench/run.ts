import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `npm run bench -- <name>` runs bench/<name>.ts; each benchmark prints its figures and writes bench/results/<name>.json. */
const name = process.argv[2];
const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'report.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}>\n`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(`./${name}.ts`);
