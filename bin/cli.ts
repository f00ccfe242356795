import { parseArgs } from 'node:util';
import { registerDiscordCommands } from '../bots/index.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../core/accounts/index.js';
import { recordAudit } from '../core/audit/index.js';
import { formatFinding, loadCatalog } from '../core/catalog/index.js';
import { formatIdr, idrToMrp } from '../core/ledger/index.js';
import { migrateDatabase } from '../db/index.js';
import { checkConfiguredCatalog } from './catalog-check.js';
import { ConfigError, parseConfig } from './config.js';
import { buildContainer, type Container, configuredProviders } from './container.js';
import { loadEnvironment } from './env-file.js';
import { createLogger } from './infra/logger.js';

/** A usage mistake: printed with the command's usage line, exit code 2. */
class UsageError extends Error {}

type Flags = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  /** Commands that need no application container (only the database URL). */
  bare?: boolean;
  run(flags: Flags, container: Container | undefined): Promise<void>;
}

function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value.trim();
}

async function accountIdFor(container: Container, flags: Flags): Promise<string> {
  const { sql } = container.db;
  if (typeof flags.email === 'string') {
    const [row] = await sql<
      { id: string }[]
    >`SELECT id FROM accounts WHERE email = ${flags.email.trim().toLowerCase()}`;
    if (!row) throw new UsageError(`no account with email ${flags.email}`);
    return row.id;
  }
  if (typeof flags.identity === 'string') {
    const match = /^(telegram|slack|discord):(.+)$/.exec(flags.identity);
    if (!match) throw new UsageError('--identity takes platform:id, e.g. telegram:123456');
    const [row] = await sql<{ account_id: string }[]>`
      SELECT account_id FROM identities WHERE platform = ${match[1]!} AND external_id = ${match[2]!}`;
    if (row) return row.account_id;
    // Crediting someone who has not talked to the bot yet creates their account, as first contact would.
    const { account } = await container.core.accounts.resolveIdentity(match[1] as 'telegram', match[2]!);
    return account.id;
  }
  throw new UsageError('give --email E or --identity platform:id');
}

const print = (line: string) => process.stdout.write(`${line}\n`);

export const commands: Record<string, Command> = {
  migrate: {
    usage: 'migrate',
    options: {},
    bare: true,
    async run() {
      await migrateDatabase(parseConfig(loadEnvironment().env).DATABASE_URL);
      print('database migrated');
    },
  },
  'user:create': {
    usage: 'user:create --email E --password P [--name N]',
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
    async run(flags, container) {
      const account = await container!.core.accounts.signup({
        email: required(flags, 'email'),
        password: required(flags, 'password'),
        ...(typeof flags.name === 'string' ? { name: flags.name } : {}),
      });
      print(`created account ${account.id} (${account.email})`);
    },
  },
  credit: {
    usage:
      'credit (--email E | --identity platform:id) --amount RUPIAH --reason TEXT [--key IDEMPOTENCY_KEY]',
    options: {
      email: { type: 'string' },
      identity: { type: 'string' },
      amount: { type: 'string' },
      reason: { type: 'string' },
      key: { type: 'string' },
    },
    async run(flags, container) {
      const c = container!;
      const reason = required(flags, 'reason');
      const amountText = required(flags, 'amount');
      let amountMrp: bigint;
      try {
        amountMrp = idrToMrp(amountText);
      } catch {
        throw new UsageError(`--amount must be rupiah like 50000 or 1500.5, not "${amountText}"`);
      }
      if (amountMrp <= 0n) throw new UsageError('--amount must be positive');
      const accountId = await accountIdFor(c, flags);
      const key = typeof flags.key === 'string' ? flags.key : `cli:${accountId}:${Date.now()}`;
      const result = await c.core.ledger.credit('adjustment', {
        accountId,
        amountMrp,
        idempotencyKey: key,
        reason,
      });
      await recordAudit(c.db.sql, {
        actorType: 'system',
        actorId: 'cli',
        action: 'balance.credit',
        targetType: 'account',
        targetId: accountId,
        after: { amount_mrp: amountMrp, balance_mrp: result.balanceMrp },
        reason,
      });
      print(
        `${result.created ? 'credited' : 'already credited (same --key)'} ${formatIdr(amountMrp)}; balance ${formatIdr(result.balanceMrp)}`,
      );
    },
  },
  'key:create': {
    usage: `key:create --email E --name N [--scopes ${API_KEY_SCOPES.join(',')}] [--expires ISO-DATE]`,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      expires: { type: 'string' },
    },
    async run(flags, container) {
      const c = container!;
      const accountId = await accountIdFor(c, { email: required(flags, 'email') });
      const scopes =
        typeof flags.scopes === 'string'
          ? (flags.scopes.split(',').map((s) => s.trim()) as ApiKeyScope[])
          : undefined;
      const expiresAt = typeof flags.expires === 'string' ? new Date(flags.expires) : null;
      if (expiresAt && Number.isNaN(expiresAt.getTime()))
        throw new UsageError('--expires must be an ISO date');
      const { key, secret } = await c.core.apiKeys.create(accountId, {
        name: required(flags, 'name'),
        ...(scopes ? { scopes } : {}),
        expiresAt,
      });
      await recordAudit(c.db.sql, {
        actorType: 'system',
        actorId: 'cli',
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: key.id,
      });
      print(`key ${key.id} (${key.prefix}..., scopes ${key.scopes.join(',')})`);
      print('secret (shown once, store it now):');
      print(secret);
    },
  },
  'admin:create': {
    usage: 'admin:create --email E --password P',
    options: { email: { type: 'string' }, password: { type: 'string' } },
    async run(flags, container) {
      const admin = await container!.core.adminUsers.create({
        email: required(flags, 'email'),
        password: required(flags, 'password'),
      });
      print(`created admin ${admin.id} (${admin.email})`);
      print('TOTP secret and authenticator URI (shown once, enrol them now):');
      print(admin.totpSecret);
      print(admin.totpUri);
    },
  },
  'retention:run': {
    usage: 'retention:run [--batch ROWS]',
    options: { batch: { type: 'string' } },
    async run(flags, container) {
      const batch = typeof flags.batch === 'string' ? Number(flags.batch) : undefined;
      if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 100_000)) {
        throw new UsageError('--batch must be a whole number from 1 to 100000');
      }
      const report = await container!.core.retention.run(batch ? { batchSize: batch } : {});
      print(JSON.stringify(report, null, 2));
    },
  },
  'catalog:check': {
    usage: 'catalog:check',
    options: {},
    bare: true,
    async run() {
      const config = parseConfig(loadEnvironment().env);
      const catalog = loadCatalog(config.CATALOG_FILE, configuredProviders(config));
      const findings = await checkConfiguredCatalog(config, catalog);
      for (const finding of findings) print(formatFinding(finding));
      const problems = findings.filter((f) => f.problem !== 'unchecked').length;
      if (problems > 0) throw new Error(`${problems} catalog route(s) need attention`);
      print(`catalog: no route of the ${catalog.served.length} served models is gone or retiring`);
    },
  },
  'discord:register': {
    usage: 'discord:register [--guild GUILD_ID]',
    options: { guild: { type: 'string' } },
    bare: true,
    async run(flags) {
      const config = parseConfig(loadEnvironment().env);
      if (!config.DISCORD_APPLICATION_ID || !config.DISCORD_BOT_TOKEN) {
        throw new UsageError('set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN first');
      }
      const guild = typeof flags.guild === 'string' ? flags.guild.trim() : undefined;
      const count = await registerDiscordCommands({
        applicationId: config.DISCORD_APPLICATION_ID,
        token: config.DISCORD_BOT_TOKEN,
        apiBase: config.DISCORD_API_BASE,
        ...(guild ? { guildId: guild } : {}),
      });
      print(`registered ${count} slash commands ${guild ? `in guild ${guild}` : 'globally'}`);
    },
  },
};

function usage(): string {
  return `usage: npm run cli -- <command> [options]\n\ncommands:\n${Object.values(commands)
    .map((c) => `  ${c.usage}`)
    .join('\n')}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(name ? `unknown command "${name}"\n\n${usage()}` : usage());
    return 2;
  }
  let container: Container | undefined;
  try {
    let flags: Flags;
    try {
      flags = parseArgs({
        args: rest,
        options: command.options,
        strict: true,
        allowPositionals: false,
      }).values;
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (!command.bare) {
      const config = parseConfig(loadEnvironment().env);
      await migrateDatabase(config.DATABASE_URL);
      container = buildContainer(
        config,
        createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL),
      );
    }
    await command.run(flags, container);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nusage: npm run cli -- ${command.usage}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${message}\n`);
    return 1;
  } finally {
    await container?.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
