import type { ChatGateway } from '../routing/index.js';
import type { ChatRunner } from './chat-runner.js';

/**
 * Bot turns through the gateway's `runChat`: the same router, hold/settle and job row as the REST
 * API, with the platform as the job's channel. Only text deltas reach the bots; the figures come
 * from the gateway's outcome (the job row and the ledger).
 */
export function gatewayChatRunner(gateway: Pick<ChatGateway, 'runChat'>): ChatRunner {
  return (input) => {
    const run = gateway.runChat({
      accountId: input.accountId,
      channel: input.channel,
      modelId: input.model,
      request: {
        ...(input.system ? { system: input.system } : {}),
        messages: input.messages,
        ...(input.maxOutputTokens ? { maxOutputTokens: input.maxOutputTokens } : {}),
      },
      ...(input.signal ? { signal: input.signal } : {}),
    });
    async function* deltas(): AsyncGenerator<string> {
      for await (const part of run) if (part.type === 'text-delta' && part.text !== '') yield part.text;
    }
    const result = run.result.then((outcome) => ({
      jobId: outcome.jobId,
      costMrp: outcome.costMrp,
      refused: outcome.refused || outcome.status === 'refused',
    }));
    result.catch(() => undefined);
    return { deltas: deltas(), result };
  };
}
