import type {
  ChoiceResult,
  FinishReason,
  ResponseInfo,
  StreamPart,
  TokenLogprob,
  ToolCall,
} from '../contract.js';
import { foldToolCallDelta } from './collect.js';

/**
 * The answers after the first, when a request asked for several (`choices`): every consumer folds the
 * first answer its own way and hands the parts of the others (`choice` >= 1) and their
 * `choice-finish` here, so they are assembled one way everywhere.
 */
export class OtherChoices {
  private readonly byIndex = new Map<number, ChoiceDraft>();

  /** Folds `part` when it belongs to an answer after the first; false for the first answer's parts. */
  fold(part: StreamPart): boolean {
    if (part.type === 'choice-finish') {
      this.draft(part.choice).finish = { reason: part.reason, raw: part.raw };
      return true;
    }
    if (part.type !== 'text-delta' && part.type !== 'reasoning-delta' && part.type !== 'tool-call-delta') {
      return false;
    }
    if (part.choice === undefined || part.choice === 0) return false;
    const draft = this.draft(part.choice);
    if (part.type === 'text-delta') {
      draft.text += part.text;
      draft.logprobs = appendLogprobs(draft.logprobs, part.logprobs);
    } else if (part.type === 'reasoning-delta') draft.reasoning += part.text;
    else draft.calls.set(part.index, foldToolCallDelta(draft.calls.get(part.index), part));
    return true;
  }

  /** Everything the other answers produced, for estimating output when the upstream reported no usage. */
  producedText(): string {
    let out = '';
    for (const draft of this.byIndex.values()) {
      out += draft.reasoning + draft.text;
      for (const call of draft.calls.values()) out += call.name + call.arguments;
    }
    return out;
  }

  /** The other answers in index order; one that never finished ends as `other`. */
  results(): ChoiceResult[] {
    return [...this.byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, draft]) => ({
        index,
        text: draft.text,
        ...(draft.reasoning === '' ? {} : { reasoning: draft.reasoning }),
        toolCalls: [...draft.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call),
        finishReason: draft.finish?.reason ?? 'other',
        ...(draft.finish?.raw === undefined ? {} : { rawFinishReason: draft.finish.raw }),
        ...(draft.logprobs ? { logprobs: draft.logprobs } : {}),
      }));
  }

  private draft(index: number): ChoiceDraft {
    let draft = this.byIndex.get(index);
    if (!draft) {
      draft = { text: '', reasoning: '', calls: new Map(), finish: undefined, logprobs: undefined };
      this.byIndex.set(index, draft);
    }
    return draft;
  }
}

interface ChoiceDraft {
  text: string;
  reasoning: string;
  calls: Map<number, ToolCall>;
  finish: { reason: FinishReason; raw: string | undefined } | undefined;
  logprobs: TokenLogprob[] | undefined;
}

/** Keeps the upstream's latest statement of each response fact. */
export function foldResponseInfo(
  info: ResponseInfo | undefined,
  part: Extract<StreamPart, { type: 'response-info' }>,
): ResponseInfo {
  return {
    ...info,
    ...(part.systemFingerprint === undefined ? {} : { systemFingerprint: part.systemFingerprint }),
    ...(part.serviceTier === undefined ? {} : { serviceTier: part.serviceTier }),
  };
}

/** Adds a delta's token log probabilities to an answer's (in place; undefined until there are any). */
export function appendLogprobs(
  list: TokenLogprob[] | undefined,
  more: TokenLogprob[] | undefined,
): TokenLogprob[] | undefined {
  if (!more || more.length === 0) return list;
  const out = list ?? [];
  out.push(...more);
  return out;
}
