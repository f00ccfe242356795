/**
 * Gemini 3's thought signatures, as the Gemini API documents them: a model turn's first
 * `functionCall` part carries an opaque `thoughtSignature`; during function calling, every model turn
 * of the current turn (the contents after the last user text) must send its first call's signature
 * back on the same part, or the request fails with 400 INVALID_ARGUMENT. A signature the server
 * never issued fails too. Only Gemini 3 models validate; earlier ones accept a history without them.
 */

const ISSUED = new Set<string>();

/** A signature for one response, remembered so a later request can be checked against it. */
export function issueSignature(responseId: string): string {
  const signature = Buffer.from(`fake-thought:${responseId}`).toString('base64');
  ISSUED.add(signature);
  return signature;
}

export function validatesSignatures(model: string): boolean {
  return /^gemini-3/.test(model);
}

interface Content {
  role?: string;
  parts?: Array<Record<string, unknown>>;
}

/** Google's error message for the first call that breaks the rule, or undefined when all is well. */
export function signatureProblem(contents: Content[]): string | undefined {
  let currentTurnStart = 0;
  contents.forEach((content, i) => {
    const userText = (content.parts ?? []).some((part) => typeof part.text === 'string');
    if (content.role !== 'model' && userText) currentTurnStart = i + 1;
  });
  let position = 0;
  for (const content of contents.slice(currentTurnStart)) {
    if (content.role !== 'model') continue;
    const parts = content.parts ?? [];
    const first = parts.find((part) => typeof part.functionCall === 'object' && part.functionCall !== null);
    if (!first) continue;
    const name = (first.functionCall as { name?: string }).name ?? '';
    position = parts.indexOf(first) + 1;
    const signature = first.thoughtSignature;
    if (typeof signature !== 'string' || signature === '') {
      return (
        'Function call is missing a thought_signature in functionCall parts. This is required for tools ' +
        'to work correctly, and missing thought_signature may lead to degraded model performance. ' +
        `Additional data, function call \`default_api:${name}\`, position ${position}. Please refer to ` +
        'https://ai.google.dev/gemini-api/docs/thought-signatures for more details.'
      );
    }
    if (!ISSUED.has(signature)) return 'Corrupted thought signature.';
  }
  return undefined;
}
