/**
 * Upstream error text, made fit for a client: it may say what was wrong with the request, but not
 * which provider served it, where our servers are, or anything that looks like a credential (an
 * upstream once echoed a masked key). Model ids stay: the client named them itself.
 */

const REDACTED = '[redacted]';

/** Provider and host names, as whole words (not `gemini-2.0-flash` or `deepseek-chat`, which are model ids). */
const PROVIDER_NAMES =
  /\b(?:open-?ai(?:-compatible)?|anthropic|google(?: ai)?|gemini api|generative ?language|vertex(?: ai)?|deep-?seek|running-?hub|moota|azure)\b(?![-/.]\w)/gi;

const SECRETS: RegExp[] = [
  /\bBearer\s+\S+/gi,
  // OpenAI/Anthropic-style keys, masked or not (`sk-proj-****abcd`, `sk-ant-...`), ours, Google's.
  /\b(?:sk|pk|rk)-[\w*.-]{6,}/gi,
  /\baip_[\w-]+/g,
  /\bAIza[\w-]{10,}/g,
];
/** Anything else long and random enough to be a token or a hash (not an UPPER_SNAKE error code). */
const LONG_TOKEN = /[A-Za-z0-9_*+/=-]{32,}/g;
const WORDS_ONLY = /^(?:[A-Z]+|[a-z]+)(?:[_-](?:[A-Z]+|[a-z]+))*$/;

const URLS = /\bhttps?:\/\/[^\s"'<>)]+/gi;
const ADDRESSES = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[[0-9a-f:]+\](?::\d+)?/gi;

export function cleanUpstreamText(text: string): string {
  let cleaned = text.replace(URLS, '[url]');
  for (const secret of SECRETS) cleaned = cleaned.replace(secret, REDACTED);
  cleaned = cleaned.replace(LONG_TOKEN, (token) => (WORDS_ONLY.test(token) ? token : REDACTED));
  cleaned = cleaned.replace(ADDRESSES, '[address]').replace(PROVIDER_NAMES, 'upstream');
  // "upstream: upstream returned" and similar stutter from prefixes.
  cleaned = cleaned.replace(/\bupstream(?:\s*[:,]\s*|\s+)upstream\b/gi, 'upstream');
  return cleaned.length > 500 ? `${cleaned.slice(0, 500)}…` : cleaned;
}
