import { userInfo } from 'node:os';
import { recordAudit } from '../core/audit/index.js';
import { formatIdr, idrToMrp } from '../core/ledger/index.js';
import {
  type Command,
  existingAccountId,
  type Flags,
  print,
  required,
  UsageError,
  wholeNumber,
} from './cli-kit.js';

/** Who did it, in the audit log: the operating-system user at the terminal. */
const operator = () => `cli:${userInfo().username}`;

const account = { id: { type: 'string' }, email: { type: 'string' }, identity: { type: 'string' } } as const;

function amountFlag(flags: Flags, name: string): bigint {
  const text = required(flags, name);
  let amount: bigint;
  try {
    amount = idrToMrp(text);
  } catch {
    throw new UsageError(`--${name} must be rupiah like 50000, not "${text}"`);
  }
  if (amount <= 0n) throw new UsageError(`--${name} must be positive`);
  return amount;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

/**
 * An operator's daily tasks, each audited under `cli:<user>` like an admin's action in the API:
 * vouchers, account lookup, suspension, unmatched bank transfers, key revocation, ledger checks.
 */
export const operatorCommands: Record<string, Command> = {
  'voucher:create': {
    usage: 'voucher:create --amount RUPIAH [--uses N] [--expires ISO-DATE] [--code CODE] --reason TEXT',
    summary: 'Create a voucher people redeem with /redeem CODE (prints the code).',
    options: {
      amount: { type: 'string' },
      uses: { type: 'string' },
      expires: { type: 'string' },
      code: { type: 'string' },
      reason: { type: 'string' },
    },
    async run(flags, container) {
      const reason = required(flags, 'reason');
      const expiresAt = typeof flags.expires === 'string' ? new Date(flags.expires) : null;
      if (expiresAt && Number.isNaN(expiresAt.getTime()))
        throw new UsageError('--expires must be an ISO date');
      const voucher = await container!.core.topups.createVoucher({
        ...(typeof flags.code === 'string' ? { code: flags.code } : {}),
        amountMrp: amountFlag(flags, 'amount'),
        maxUses: wholeNumber(flags, 'uses', 1, 1_000_000) ?? 1,
        expiresAt,
        adminId: operator(),
      });
      await container!.core.adminConsole.stampAudit(
        { action: 'voucher.create', targetId: voucher.id },
        { adminId: operator() },
        reason,
      );
      print(
        `voucher ${voucher.code}: ${formatIdr(voucher.amountMrp)}, ${voucher.maxUses} use(s), expires ${day(voucher.expiresAt)}`,
      );
    },
  },
  'voucher:list': {
    usage: 'voucher:list [--limit N]',
    summary: 'The newest vouchers with their uses.',
    options: { limit: { type: 'string' } },
    async run(flags, container) {
      const vouchers = await container!.core.topups.listVouchers({
        limit: wholeNumber(flags, 'limit', 1, 500) ?? 50,
      });
      if (vouchers.length === 0) print('no vouchers');
      for (const v of vouchers) {
        print(
          `${v.code}  ${formatIdr(v.amountMrp)}  used ${v.uses}/${v.maxUses}  expires ${day(v.expiresAt)}  by ${v.createdBy ?? '-'}`,
        );
      }
    },
  },
  'account:find': {
    usage: 'account:find --query TEXT [--limit N]',
    summary: 'Search accounts by id, email, name or chat identity.',
    options: { query: { type: 'string' }, limit: { type: 'string' } },
    async run(flags, container) {
      const rows = await container!.core.adminConsole.searchAccounts(
        required(flags, 'query'),
        wholeNumber(flags, 'limit', 1, 100) ?? 20,
      );
      if (rows.length === 0) print('no matching account');
      for (const r of rows) {
        print(`${r.id}  ${r.status}  ${formatIdr(r.balance_mrp)}  ${r.email ?? '-'}  ${r.name ?? ''}`);
      }
    },
  },
  'account:show': {
    usage: 'account:show (--id UUID | --email E | --identity platform:id)',
    summary: 'One account: status, balance, identities, keys, latest ledger entries and jobs (audited).',
    options: { ...account },
    async run(flags, container) {
      const id = await existingAccountId(container!, flags);
      const d = await container!.core.adminConsole.accountDetail(id, { adminId: operator() });
      print(`account ${id} (${d.account.email ?? 'no email'})`);
      print(
        `  status ${d.account.status}${d.flags.legal_hold ? ', legal hold' : ''}; balance ${formatIdr(d.account.balanceMrp)}`,
      );
      for (const i of d.identities)
        print(`  identity ${i.platform}:${i.external_id} ${i.display_name ?? ''}`);
      for (const k of d.keys) {
        print(`  key ${k.id} ${k.prefix}... "${k.name}" ${k.revoked_at ? 'revoked' : 'active'}`);
      }
      for (const e of d.ledger.slice(0, 10)) {
        print(
          `  ledger ${e.created_at.toISOString().slice(0, 16)} ${e.kind} ${formatIdr(e.amount_mrp)} ${e.reason ?? ''}`,
        );
      }
      for (const j of d.jobs.slice(0, 10)) print(`  job ${j.id} ${j.kind} ${j.model} ${j.status}`);
    },
  },
  'account:suspend': {
    usage: 'account:suspend (--id UUID | --email E | --identity platform:id) --reason TEXT',
    summary: 'Suspend an account: its keys and bots stop working until it is reinstated.',
    options: { ...account, reason: { type: 'string' } },
    async run(flags, container) {
      const id = await existingAccountId(container!, flags);
      const result = await container!.core.adminConsole.setSuspended(id, true, required(flags, 'reason'), {
        adminId: operator(),
      });
      print(`account ${result.id} is ${result.status}`);
    },
  },
  'account:reinstate': {
    usage: 'account:reinstate (--id UUID | --email E | --identity platform:id) --reason TEXT',
    summary: 'Lift a suspension.',
    options: { ...account, reason: { type: 'string' } },
    async run(flags, container) {
      const id = await existingAccountId(container!, flags);
      const result = await container!.core.adminConsole.setSuspended(id, false, required(flags, 'reason'), {
        adminId: operator(),
      });
      print(`account ${result.id} is ${result.status}`);
    },
  },
  'transfers:unmatched': {
    usage: 'transfers:unmatched [--limit N] [--flagged]',
    summary: 'Bank transfers that matched no top-up (wrong amount, no code), oldest first.',
    options: { limit: { type: 'string' }, flagged: { type: 'boolean' } },
    async run(flags, container) {
      const rows = await container!.core.topups.listUnmatched({
        limit: wholeNumber(flags, 'limit', 1, 500) ?? 50,
        flaggedOnly: flags.flagged === true,
      });
      if (rows.length === 0) print('no unmatched transfers');
      for (const m of rows) {
        print(
          `${m.mutationId}  ${m.mutationDate}  ${formatIdr(m.amountMrp)}  ${m.description}${m.note ? ` / ${m.note}` : ''}`,
        );
      }
    },
  },
  'transfers:assign': {
    usage:
      'transfers:assign --mutation MUTATION_ID (--id UUID | --email E | --identity platform:id) --reason TEXT',
    summary: 'Credit an unmatched transfer to an account, once.',
    options: { mutation: { type: 'string' }, ...account, reason: { type: 'string' } },
    async run(flags, container) {
      const mutation = required(flags, 'mutation');
      const reason = required(flags, 'reason');
      const id = await existingAccountId(container!, flags);
      const result = await container!.core.topups.assignMutation(mutation, id, operator(), reason);
      print(
        `credited ${formatIdr(result.mutation.amountMrp)} to ${id}; balance ${formatIdr(result.balanceMrp)}`,
      );
    },
  },
  'key:revoke': {
    usage: 'key:revoke --key KEY_ID --reason TEXT',
    summary: 'Revoke an API key at once (find its id with account:show).',
    options: { key: { type: 'string' }, reason: { type: 'string' } },
    async run(flags, container) {
      const c = container!;
      const keyId = required(flags, 'key');
      const reason = required(flags, 'reason');
      const [row] = await c.db.sql<{ account_id: string }[]>`
        SELECT account_id FROM api_keys WHERE id::text = ${keyId}`;
      if (!row) throw new UsageError(`no API key with id ${keyId}`);
      const key = await c.core.apiKeys.revoke(row.account_id, keyId);
      await recordAudit(c.db.sql, {
        actorType: 'admin',
        actorId: operator(),
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: keyId,
        reason,
      });
      print(`key ${key.id} (${key.prefix}...) revoked`);
    },
  },
  'ledger:verify': {
    usage: 'ledger:verify [--id UUID | --email E | --identity platform:id]',
    summary:
      'Check that every cached balance and held amount equals its ledger entries and holds (exit 1 if not).',
    options: { ...account },
    async run(flags, container) {
      const c = container!;
      const scoped = flags.id ?? flags.email ?? flags.identity;
      const id = scoped === undefined ? undefined : await existingAccountId(c, flags);
      const mismatches = await c.core.ledger.verify(id);
      if (mismatches.length === 0) {
        print(
          id
            ? `account ${id}: balance and holds agree with the ledger`
            : 'every balance and hold agrees with the ledger',
        );
        return;
      }
      for (const m of mismatches) {
        print(
          `MISMATCH ${m.accountId}: balance ${formatIdr(m.balanceMrp)} vs entries ${formatIdr(m.entriesSumMrp)}; held ${formatIdr(m.heldMrp)} vs active holds ${formatIdr(m.activeHoldsMrp)}`,
        );
      }
      throw new LedgerMismatch(`${mismatches.length} account(s) disagree with the ledger`);
    },
  },
};

/** Exit code 1 with a message: the check ran and found a problem. */
export class LedgerMismatch extends Error {}
