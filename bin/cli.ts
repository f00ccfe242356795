import { parseArgs } from 'node:util';
import { registerDiscordCommands } from '../bots/index.js';
import { API_KEY_SCOPES, type ApiKeyScope } from '../core/accounts/index.js';
import { recordAudit } from '../core/audit/index.js';
import { formatFinding, loadCatalog } from '../core/catalog/index.js';
import { formatIdr, idrToMrp } from '../core/ledger/index.js';
import { migrateDatabase } from '../db/index.js';
import { checkConfiguredCatalog } from './catalog-check.js';
import { KEY_SETTING_OPTIONS, KEY_SETTING_USAGE, keySettingsFromFlags } from './cli-key-flags.js';
import { accountIdFor, type Command, type Flags, print, required, UsageError } from './cli-kit.js';
import { LedgerMismatch, operatorCommands } from './cli-operator.js';
import { ConfigError, parseConfig } from './config.js';
import { buildContainer, type Container, configuredProviders } from './container.js';
import { loadEnvironment } from './env-file.js';
import { createLogger } from './infra/logger.js';

const setupCommands: Record<string, Command> = {
  migrate: {
    usage: 'migrate',
    summary: 'Create the database if needed and apply every pending migration.',
    options: {},
    bare: true,
    async run() {
      await migrateDatabase(parseConfig(loadEnvironment().env).DATABASE_URL);
      print('database migrated');
    },
  },
  'user:create': {
    usage: 'user:create --email E --password P [--name N]',
    summary: 'Create an account with email and password (verified later by email).',
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
    summary: 'Credit a balance by hand (audited); the same --key never credits twice.',
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
    usage: `key:create --email E --name N [--scopes ${API_KEY_SCOPES.join(',')}] [--expires ISO-DATE] ${KEY_SETTING_USAGE}`,
    summary:
      'Create an API key for an account, with optional spend limits, models and rate limits; prints the secret once.',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      expires: { type: 'string' },
      ...KEY_SETTING_OPTIONS,
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
        ...keySettingsFromFlags(flags),
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
  'key:update': {
    usage: `key:update --email E --id KEY-ID [--name N] ${KEY_SETTING_USAGE}`,
    summary: "Change an API key's name, spend limits, allowed models and rate limits.",
    options: {
      email: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      ...KEY_SETTING_OPTIONS,
    },
    async run(flags, container) {
      const c = container!;
      const accountId = await accountIdFor(c, { email: required(flags, 'email') });
      const name = typeof flags.name === 'string' ? flags.name : undefined;
      const { after } = await c.core.apiKeys.update(accountId, required(flags, 'id'), {
        ...(name !== undefined ? { name } : {}),
        ...keySettingsFromFlags(flags),
      });
      await recordAudit(c.db.sql, {
        actorType: 'system',
        actorId: 'cli',
        action: 'api_key.update',
        targetType: 'api_key',
        targetId: after.id,
      });
      const l = after.limits;
      print(`key ${after.id} (${after.name})`);
      print(
        `  total limit: ${l.totalLimitMrp === null ? 'none' : formatIdr(l.totalLimitMrp)}, spent ${formatIdr(l.spentMrp)}`,
      );
      print(
        `  ${l.period ?? 'period'} limit: ${l.periodLimitMrp === null ? 'none' : `${formatIdr(l.periodLimitMrp)}, spent ${formatIdr(l.periodSpentMrp)}`}`,
      );
      print(`  models: ${l.models?.join(',') ?? 'all'}; kinds: ${l.kinds?.join(',') ?? 'all'}`);
      print(
        `  per minute: ${l.requestsPerMinute ?? 'account'} requests, ${l.tokensPerMinute ?? 'account'} tokens`,
      );
    },
  },
  'admin:create': {
    usage: 'admin:create --email E --password P',
    summary: 'Create an admin; prints the TOTP secret once (sign in at POST /admin/login).',
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
    summary: 'Delete content older than the retention period now (a worker does it daily).',
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
    summary:
      "Ask each configured provider's model list which catalog routes are gone or scheduled for shutdown.",
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
    summary: 'Register the slash commands with Discord (a guild updates at once, global within an hour).',
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

export const commands: Record<string, Command> = { ...setupCommands, ...operatorCommands };

function usage(): string {
  return `usage: npm run cli -- <command> [options]   (--help after a command explains it)\n\ncommands:\n${Object.entries(
    commands,
  )
    .map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`)
    .join('\n')}\n`;
}

const wantsHelp = (args: string[]) => args.includes('--help') || args.includes('-h');

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || wantsHelp([name])) {
    process.stdout.write(usage());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(`${command.summary}\n\nusage: npm run cli -- ${command.usage}\n`);
    return 0;
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
    if (error instanceof LedgerMismatch) {
      process.stderr.write(`${error.message}\n`);
      return 1;
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
