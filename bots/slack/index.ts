export {
  CHOICE_ACTION_PREFIX,
  deleteConfirmBlocks,
  languagePickerBlocks,
  modelPickerBlocks,
} from './blocks.js';
export { escapeMrkdwn, markdownToMrkdwn } from './markdown-to-mrkdwn.js';
export {
  type SlackReplyTarget,
  type SlackStreamOptions,
  type SlackStreamResult,
  streamSlackReply,
} from './stream-reply.js';
export { promptFromSlackText, type SlackUpload, uploadSlackFiles } from './upload-files.js';
export {
  SLACK_MAX_SKEW_SECONDS,
  type SlackSignedRequest,
  type SlackVerification,
  verifySlackSignature,
} from './verify-signature.js';
