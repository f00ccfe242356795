import type {
  ChoiceResult,
  FinishReason,
  ProviderId,
  ResponseInfo,
  StreamPart,
  ThinkingBlock,
  TokenLogprob,
  ToolCall,
  Usage,
} from '../providers/index.js';
import type { RateLimitSummary } from '../ratelimit/index.js';

/**
 * What a chat run yields to its consumer: `start` first, then the answer as it arrives (parts of the
 * answers after the first, when several were asked for, carry their `choice`).
 */
export type ChatRunPart =
  | {
      type: 'start';
      jobId: string;
      /** Our catalog model id. */
      model: string;
      provider: ProviderId;
      /**
       * Input tokens as the upstream reported them before its first content (Anthropic does, in
       * `message_start`), else our estimate; the final count is in the outcome's usage.
       */
      inputTokens: number;
      rateLimit?: RateLimitSummary;
      /** The upstream's system fingerprint and service tier as stated before its first content. */
      info?: ResponseInfo;
    }
  | Extract<StreamPart, { type: 'text-delta' | 'reasoning-delta' | 'tool-call-delta' }>;

export interface ChatOutcome {
  jobId: string;
  model: string;
  provider: ProviderId;
  /** `cancelled`: the client left; the answer was still read (bounded) and billed once. */
  status: 'succeeded' | 'refused' | 'cancelled';
  finishReason: FinishReason;
  /** True for a safety refusal after part of the answer was delivered (not billed). */
  refused: boolean;
  usage: Usage;
  /** The upstream reported no usage (or the read was cut short): it was estimated with a tokenizer. */
  usageEstimated: boolean;
  /** What the ledger charged, milli-rupiah. */
  costMrp: bigint;
  text: string;
  /** The model's visible reasoning, when the upstream returned any (DeepSeek). */
  reasoning?: string;
  /** Anthropic's thinking blocks, signed or redacted, in order (to be sent back unmodified). */
  thinking?: ThinkingBlock[];
  toolCalls: ToolCall[];
  /** The first answer's token log probabilities, when asked for. */
  logprobs?: TokenLogprob[];
  /** The answers after the first, when several were asked for (usage and cost cover them all). */
  choices?: ChoiceResult[];
  /** The upstream's system fingerprint and service tier, when it stated them. */
  info?: ResponseInfo;
  rateLimit?: RateLimitSummary;
}

/**
 * A streaming chat run: iterate it for the parts, then read `result`. Leaving the loop early (break,
 * return) or aborting the input signal means "the client left": the run keeps reading upstream in
 * the background, bounded, and bills once; `result` still settles. Errors thrown by the iteration
 * before the `start` part mean nothing was sent and nothing was charged.
 */
export interface ChatRun extends AsyncIterable<ChatRunPart> {
  readonly result: Promise<ChatOutcome>;
}

/** Whether the consumer is still there; `leave` is idempotent and runs the listeners once. */
export class Presence {
  private isGone = false;
  private readonly listeners: Array<() => void> = [];

  constructor(signal?: AbortSignal) {
    if (signal?.aborted) this.isGone = true;
    else signal?.addEventListener('abort', () => this.leave(), { once: true });
  }

  get gone(): boolean {
    return this.isGone;
  }

  onLeave(listener: () => void): void {
    if (this.isGone) listener();
    else this.listeners.push(listener);
  }

  leave(): void {
    if (this.isGone) return;
    this.isGone = true;
    for (const listener of this.listeners.splice(0)) listener();
  }
}

/** Wraps the gateway's generator so an early `return()` keeps it running to its end in the background. */
export function toChatRun(generator: AsyncGenerator<ChatRunPart, ChatOutcome>, presence: Presence): ChatRun {
  let resolve!: (outcome: ChatOutcome) => void;
  let reject!: (error: unknown) => void;
  const result = new Promise<ChatOutcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A consumer that never reads `result` must not cause an unhandled rejection.
  result.catch(() => undefined);
  let finished = false;

  async function step(): Promise<IteratorResult<ChatRunPart, undefined>> {
    try {
      const next = await generator.next();
      if (next.done) {
        finished = true;
        resolve(next.value);
        return { done: true, value: undefined };
      }
      return { done: false, value: next.value };
    } catch (error) {
      finished = true;
      reject(error);
      throw error;
    }
  }

  const iterator: AsyncIterator<ChatRunPart, undefined> = {
    next: step,
    async return() {
      presence.leave();
      if (!finished) {
        void (async () => {
          try {
            while (!(await step()).done) {
              // discard: nobody is listening any more
            }
          } catch {
            // already recorded in `result`
          }
        })();
      }
      return { done: true, value: undefined };
    },
  };
  return {
    result,
    [Symbol.asyncIterator]: () => iterator,
  };
}
