import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnvironment } from '../../bin/env-file.js';
import { startAllFakes } from './all-fakes.js';
import { startPlayground } from './playground.js';

/**
 * `npm run fakes`: every external service as a local fake on free loopback ports, plus the
 * playground page. Prints the environment that points `npm start` at them (and writes it as a
 * dotenv file with `--write-env PATH`). Ctrl-C stops them.
 *
 * Reads `.env` like `npm start`: PORT (or AIPORT_URL) tells where AIport will listen, FAKES_PORT
 * the playground's port (default 4000, or a free one when it is taken).
 */
const { values: flags } = parseArgs({
  options: { 'write-env': { type: 'string' }, help: { type: 'boolean' } },
  strict: true,
});
if (flags.help) {
  process.stdout.write('usage: npm run fakes [-- --write-env .env.fakes]\n');
  process.exit(0);
}
const { env: settings } = loadEnvironment();
const aiportUrl = settings.AIPORT_URL ?? `http://127.0.0.1:${settings.PORT || '8080'}`;
const fakes = await startAllFakes(settings.CATALOG_FILE ? { catalogFile: settings.CATALOG_FILE } : {});
const playground = await startPlayground(fakes, {
  aiportUrl,
  port: settings.FAKES_PORT === undefined ? 4000 : Number(settings.FAKES_PORT),
});

const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
const out = (line = '') => process.stdout.write(`${line}\n`);
out('Fakes running. In the terminal where you start AIport, paste:');
out();
for (const [name, value] of Object.entries(fakes.env)) out(`export ${name}=${quote(value)}`);
out();
if (flags['write-env']) {
  const dotenv = Object.entries(fakes.env)
    .map(([name, value]) => `${name}=${/[\s#"']/.test(value) ? JSON.stringify(value) : value}`)
    .join('\n');
  writeFileSync(flags['write-env'], `# Written by npm run fakes; valid while it runs.\n${dotenv}\n`);
  out(`(also written to ${flags['write-env']}: ENV_FILE=${flags['write-env']} npm start)`);
  out();
}
out('then: npm start');
out(`Playground (talk to the bots, send a bank transfer): ${playground.url}`);
out(`It expects AIport at ${aiportUrl} (set AIPORT_URL or PORT to change).`);

const stop = async () => {
  await playground.close();
  await fakes.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
