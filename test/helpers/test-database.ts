import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createDatabase, type Database, migrateDatabase } from '../../db/index.js';
import { TEST_DATABASE_URL } from './env.js';

const MIGRATIONS = fileURLToPath(new URL('../../db/migrations', import.meta.url));

/** The template's name changes whenever a migration changes, so concurrent runs never see a stale one. */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(`${MIGRATIONS}/${file}`));
  }
  return `aiport_tpl_${hash.digest('hex').slice(0, 12)}`;
}

function urlFor(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function adminConnection() {
  return postgres(urlFor('postgres'), { max: 1, onnotice: () => {} });
}

/** Migrates the template database once per migration set (safe to call from parallel runs). */
export async function prepareTemplate(): Promise<string> {
  const name = templateName();
  await migrateDatabase(urlFor(name));
  return name;
}

export interface TestDatabase extends Database {
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file: a copy of the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = templateName();
  const name = `aiport_t_${randomBytes(6).toString('hex')}`;
  const admin = adminConnection();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        // 55006: the template is briefly in use by another CREATE DATABASE; retry shortly.
        if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = urlFor(name);
  const database = createDatabase(url, { max: 8 });
  return {
    ...database,
    url,
    async drop() {
      await database.close();
      const conn = adminConnection();
      try {
        await conn.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await conn.end({ timeout: 5 });
      }
    },
  };
}
