import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES, parseConfig } from './config.js';
import { loadEnvironment } from './env-file.js';

const folder = mkdtempSync(join(tmpdir(), 'aiport-env-'));

describe('.env loading', () => {
  it('reads a dotenv file under the variables already set, which win', () => {
    const file = join(folder, 'one.env');
    writeFileSync(
      file,
      '# comment\nPORT=9100\nMAIL_FROM=AIport <no-reply@aiport.id>\nREDIS_PREFIX="from-file"\nEMPTY=\n',
    );
    const { env, file: used } = loadEnvironment({ ENV_FILE: file, REDIS_PREFIX: 'from-env' });
    expect(used).toBe(file);
    expect(env.PORT).toBe('9100');
    expect(env.MAIL_FROM).toBe('AIport <no-reply@aiport.id>');
    expect(env.REDIS_PREFIX).toBe('from-env');
    expect(parseConfig(env).PORT).toBe(9100);
  });

  it('names a missing ENV_FILE instead of silently ignoring it', () => {
    expect(() => loadEnvironment({ ENV_FILE: join(folder, 'absent.env') })).toThrow(
      /ENV_FILE: .* does not exist/,
    );
  });

  it('accepts .env.example as it ships: valid dotenv that parses into a valid configuration', () => {
    const example = new URL('../.env.example', import.meta.url);
    const { env } = loadEnvironment({ ENV_FILE: example.pathname });
    const config = parseConfig(env);
    expect(config.MAIL_FROM).toBe('AIport <no-reply@aiport.id>');
    expect(config.PORT).toBe(8080);
    // Every documented variable is one the configuration reads, and every one it reads is documented.
    const documented = [...readFileSync(example, 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
  });
});
