import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { parseConfig } from '../../bin/config.js';
import { buildContainer, type Container } from '../../bin/container.js';
import { buildHttp } from '../../bin/http.js';
import type { Clock } from '../../core/ports/clock.js';
import { TEST_REDIS_URL } from './env.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: FastifyInstance;
  container: Container;
  database: TestDatabase;
  /** Base URL once `listen()` was called. */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real application (config parsing, container, HTTP app) on a fresh database of its own, the
 * way `npm start` builds it. `env` sets variables as a deployment would (provider URLs of fakes, ...).
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    /** The URL the app reaches its database by (e.g. through a relay that watches the traffic). */
    databaseUrl?: (url: string) => string;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = parseConfig({
    NODE_ENV: 'test',
    JWT_SECRET: randomBytes(32).toString('hex'),
    DATABASE_URL: options.databaseUrl ? options.databaseUrl(database.url) : database.url,
    REDIS_URL: TEST_REDIS_URL,
    // Its own queues and bot keys: workers another test starts never take this app's jobs.
    REDIS_PREFIX: `aiport-t-${randomBytes(4).toString('hex')}`,
    ...options.env,
  });
  const container = buildContainer(
    config,
    pino({ level: 'silent' }),
    options.clock ? { clock: options.clock } : {},
  );
  const app = await buildHttp(container);
  const testApp: TestApp = {
    app,
    container,
    database,
    url: '',
    async listen() {
      testApp.url = await app.listen({ port: 0, host: '127.0.0.1' });
      return testApp.url;
    },
    async close() {
      await app.close();
      await container.close();
      await database.drop();
    },
  };
  return testApp;
}
