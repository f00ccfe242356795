export { AmountParseError, parseRupiahToMrp } from './amount.js';
export {
  type BankMutation,
  type ParsedMutationPage,
  type ParsedMutations,
  parseMootaMutationPage,
  parseMootaWebhookBody,
  parseMootaWebhookPayload,
  type RejectedMutation,
} from './parse-mutations.js';
export {
  createMootaRestClient,
  type MootaFetch,
  type MootaMutationList,
  type MootaMutationQuery,
  type MootaRestClient,
  type MootaRestClientOptions,
} from './rest-client.js';
export { verifyMootaSignature } from './verify-signature.js';
