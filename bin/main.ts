import { migrateDatabase } from '../db/index.js';
import { warnAboutCatalogRoutes } from './catalog-check.js';
import { runPrimary, workerIndex, workersFromArgs } from './cluster.js';
import { ConfigError, parseConfig } from './config.js';
import { buildContainer } from './container.js';
import { loadEnvironment } from './env-file.js';
import { buildHttp } from './http.js';
import { createLogger } from './infra/logger.js';
import { postgresService, redisService, waitForService } from './infra/wait-for-services.js';
import { formatSummary, type Role, startupSummary } from './startup-summary.js';
import { startWorkerRole } from './workers.js';

const ROLES: Role[] = ['api', 'workers', 'bots'];

function rolesFromArgs(argv: string[]): Role[] {
  const index = argv.indexOf('--role');
  if (index === -1) return ROLES;
  const wanted = (argv[index + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((r) => !ROLES.includes(r as Role));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      `--role takes ${ROLES.join('|')} (comma-separated), not "${argv[index + 1] ?? ''}"`,
    );
  }
  return wanted as Role[];
}

const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * `npm start`: read `.env`, wait for PostgreSQL and Redis, migrate, then run every role, in
 * `--workers N` processes (default: one per core; see cluster.ts).
 */
async function main(): Promise<void> {
  const { env, file } = loadEnvironment();
  const config = parseConfig(env);
  const argv = process.argv.slice(2);
  const roles = rolesFromArgs(argv);
  const worker = workerIndex();
  const workers = worker === undefined ? workersFromArgs(argv) : 1;
  const logger = createLogger(config.LOG_LEVEL);
  if (worker === undefined) {
    const budgetMs = config.CONNECT_RETRY_SECONDS * 1000;
    await waitForService(postgresService(config.DATABASE_URL), { budgetMs, say });
    await waitForService(redisService(config.REDIS_URL), { budgetMs, say });
    await migrateDatabase(config.DATABASE_URL);
    if (workers > 1) {
      runPrimary(workers, say, config.jwtSecretGenerated ? { JWT_SECRET: config.JWT_SECRET } : {});
      logger.info({ workers }, 'AIport primary started');
      return;
    }
  }
  // In a cluster only the first process polls Telegram (one poller) and prints the summary.
  const first = worker === undefined || worker === 0;
  const container = buildContainer(config, logger);
  const stops: Array<() => Promise<void>> = [];

  let listening: string | undefined;
  if (roles.includes('api') || roles.includes('bots')) {
    const app = await buildHttp(container);
    listening = await app.listen({ port: config.PORT, host: config.HOST });
    stops.push(() => app.close());
  }
  if (roles.includes('bots') && first) {
    // Telegram long polling when no webhook secret is set; command menus and the webhook otherwise.
    await container.bots.start();
    stops.push(() => container.bots.stop());
  }
  if (roles.includes('workers')) {
    const workers = await startWorkerRole(container);
    stops.push(() => workers.close());
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 15_000).unref();
    for (const stop of stops.reverse()) await stop().catch((err) => logger.error({ err }, 'stop failed'));
    await container.close();
    clearTimeout(timer);
    process.exit(0);
  };
  // `on`, not `once`: in a cluster a Ctrl-C reaches a worker twice (from the terminal and the primary).
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  if (!first) {
    logger.info({ roles, worker }, 'AIport worker started');
    return;
  }
  const summary = startupSummary(config, container.core.catalog, roles, {
    ...(file ? { envFile: file } : {}),
    ...(listening ? { listening } : {}),
  });
  // For people: a plain block on stderr; for log pipelines: the same facts as one JSON line.
  say(formatSummary(summary));
  // In the background: asks each configured provider's model list, warns of gone or retiring routes.
  warnAboutCatalogRoutes(config, container.core.catalog, logger);
  logger.info({ roles, port: config.PORT, warnings: summary.warnings.length }, 'AIport started');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `AIport failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
