import type { Container } from './container.js';

/** A usage mistake: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {}

export type Flags = Record<string, string | boolean | undefined>;

export interface Command {
  usage: string;
  /** What it does, for `--help`. */
  summary: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  /** Commands that need no application container (only the database URL). */
  bare?: boolean;
  run(flags: Flags, container: Container | undefined): Promise<void>;
}

export function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || !value.trim()) throw new UsageError(`--${name} is required`);
  return value.trim();
}

export async function accountIdFor(container: Container, flags: Flags): Promise<string> {
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

export const print = (line: string) => process.stdout.write(`${line}\n`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An existing account by --id, --email or --identity platform:id; never creates one. */
export async function existingAccountId(container: Container, flags: Flags): Promise<string> {
  const { sql } = container.db;
  if (typeof flags.id === 'string') {
    if (!UUID.test(flags.id.trim())) throw new UsageError('--id takes an account id (a UUID)');
    const [row] = await sql<{ id: string }[]>`SELECT id FROM accounts WHERE id = ${flags.id.trim()}`;
    if (!row) throw new UsageError(`no account with id ${flags.id}`);
    return row.id;
  }
  if (typeof flags.identity === 'string') {
    const match = /^(telegram|slack|discord):(.+)$/.exec(flags.identity);
    if (!match) throw new UsageError('--identity takes platform:id, e.g. telegram:123456');
    const [row] = await sql<{ account_id: string }[]>`
      SELECT account_id FROM identities WHERE platform = ${match[1]!} AND external_id = ${match[2]!}`;
    if (!row) throw new UsageError(`no account with identity ${flags.identity}`);
    return row.account_id;
  }
  if (typeof flags.email === 'string') return accountIdFor(container, { email: flags.email });
  throw new UsageError('give --id UUID, --email E or --identity platform:id');
}

/** Whole positive number within bounds, from a flag (undefined when absent). */
export function wholeNumber(flags: Flags, name: string, min: number, max: number): number | undefined {
  const value = flags[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}
