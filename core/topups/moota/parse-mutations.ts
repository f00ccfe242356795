import { z } from 'zod';
import { CoreError } from '../../errors.js';
import { AmountParseError, parseRupiahToMrp } from './amount.js';

/** One bank mutation as Moota reports it, normalized. Amounts are integer milli-rupiah. */
export interface BankMutation {
  /** Moota's id for the mutation (`mutation_id`, or `token` when only that is sent): the dedupe key. */
  mutationId: string;
  bankId: string;
  accountNumber: string;
  /** CR: money came in (a top-up candidate). DB: money went out. */
  type: 'CR' | 'DB';
  amountMrp: bigint;
  /** The account balance after this mutation, when Moota sent a parseable one. */
  balanceMrp: bigint | null;
  description: string;
  note: string;
  /** As Moota sends it, `YYYY-MM-DD HH:MM:SS` in the bank's local time. */
  date: string;
  /** The item exactly as received, for audit. */
  raw: unknown;
}

/** An item that could not be used, with the reason; the others in the same body are still returned. */
export interface RejectedMutation {
  index: number;
  mutationId: string | null;
  reason: string;
}

export interface ParsedMutations {
  mutations: BankMutation[];
  rejected: RejectedMutation[];
}

export interface ParsedMutationPage extends ParsedMutations {
  currentPage: number;
  lastPage: number;
}

const idLike = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const optionalText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value == null ? '' : String(value)));

const mutationSchema = z.object({
  mutation_id: idLike.optional(),
  token: idLike.optional(),
  bank_id: idLike,
  account_number: optionalText,
  date: z.string().min(1),
  description: optionalText,
  note: optionalText,
  amount: z.unknown(),
  type: z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .pipe(z.enum(['CR', 'DB'])),
  balance: z.unknown().optional(),
  bank: z.object({ account_number: optionalText }).nullish(),
});

const pageSchema = z.object({
  data: z.array(z.unknown()),
  current_page: z.coerce.number().int().positive(),
  last_page: z.coerce.number().int().nonnegative(),
});

/** Parses the raw bytes of a Moota webhook delivery (a JSON array of mutations). */
export function parseMootaWebhookBody(rawBody: Buffer | string): ParsedMutations {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch {
    throw new CoreError('invalid_request', 'Moota webhook body is not valid JSON');
  }
  return parseMootaWebhookPayload(json);
}

/** Parses an already-decoded webhook payload: it must be an array of mutation objects. */
export function parseMootaWebhookPayload(json: unknown): ParsedMutations {
  if (!Array.isArray(json)) {
    throw new CoreError('invalid_request', 'Moota webhook body must be a JSON array of mutations');
  }
  return parseMutationList(json);
}

/** Parses one page of `GET /api/v2/mutation` (Laravel pagination with `data[]`). */
export function parseMootaMutationPage(json: unknown): ParsedMutationPage {
  const page = pageSchema.safeParse(json);
  if (!page.success) {
    throw new CoreError(
      'invalid_request',
      `Moota mutation list is not a paginated response: ${formatIssues(page.error)}`,
    );
  }
  return {
    ...parseMutationList(page.data.data),
    currentPage: page.data.current_page,
    lastPage: page.data.last_page,
  };
}

function parseMutationList(items: readonly unknown[]): ParsedMutations {
  const result: ParsedMutations = { mutations: [], rejected: [] };
  items.forEach((item, index) => {
    const parsed = parseMutation(item);
    if ('reason' in parsed) result.rejected.push({ index, ...parsed });
    else result.mutations.push(parsed);
  });
  return result;
}

function parseMutation(item: unknown): BankMutation | { mutationId: string | null; reason: string } {
  const parsed = mutationSchema.safeParse(item);
  if (!parsed.success) return { mutationId: peekMutationId(item), reason: formatIssues(parsed.error) };
  const fields = parsed.data;
  const mutationId = fields.mutation_id ?? fields.token;
  if (mutationId === undefined) return { mutationId: null, reason: 'mutation_id (or token) is missing' };
  let amountMrp: bigint;
  try {
    amountMrp = parseRupiahToMrp(fields.amount);
  } catch (error) {
    if (!(error instanceof AmountParseError)) throw error;
    return { mutationId, reason: error.message };
  }
  return {
    mutationId,
    bankId: fields.bank_id,
    accountNumber: fields.account_number || fields.bank?.account_number || '',
    type: fields.type,
    amountMrp,
    balanceMrp: parseOptionalAmount(fields.balance),
    description: fields.description,
    note: fields.note,
    date: fields.date,
    raw: item,
  };
}

function parseOptionalAmount(value: unknown): bigint | null {
  if (value == null || value === '') return null;
  try {
    return parseRupiahToMrp(value);
  } catch {
    return null;
  }
}

function peekMutationId(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const record = item as Record<string, unknown>;
  const id = record['mutation_id'] ?? record['token'];
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
