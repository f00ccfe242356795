import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config.js';

export interface LoadedEnvironment {
  env: Record<string, string | undefined>;
  /** The file read, when there was one. */
  file?: string;
}

/**
 * The process environment with the variables of a dotenv file underneath: `ENV_FILE` when set, else
 * `.env` in the working directory when present. A variable already set in the environment wins, as
 * with every dotenv loader, so `PORT=9000 npm start` overrides the file.
 */
export function loadEnvironment(env: Record<string, string | undefined> = process.env): LoadedEnvironment {
  const named = env.ENV_FILE;
  const file = resolve(named ?? '.env');
  if (!existsSync(file)) {
    if (named) throw new ConfigError(`ENV_FILE: ${named} does not exist`);
    return { env };
  }
  const fromFile = parseEnv(readFileSync(file, 'utf8'));
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(env)) if (value !== undefined) merged[name] = value;
  return { env: merged, file };
}
