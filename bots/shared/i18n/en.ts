import { formatIdr } from '../../../core/ledger/index.js';
import { type BotCommandName, formatWib, type Messages } from './messages.js';

const COMMANDS: Record<BotCommandName, string> = {
  start: 'Start and show help',
  help: 'List of commands',
  new: 'Start a new conversation',
  model: 'Choose the AI model',
  balance: 'Show your balance',
  usage: 'Recent usage and costs',
  topup: 'Top up by bank transfer',
  redeem: 'Redeem a voucher code',
  link: 'Link your account across platforms',
  image: 'Generate an image from text',
  video: 'Generate a video from text',
  lang: 'Change language',
  privacy: 'How we keep your data',
  export: 'Download your data',
  delete: 'Delete your account and data',
};

const when = (date: Date) => formatWib(date, 'en-GB');

export const en: Messages = {
  commandDescription: (command) => COMMANDS[command],

  welcome: ({ name }) =>
    [
      `Hi${name ? `, ${name}` : ''}! I'm AIport: one rupiah balance for many AI models.`,
      'Send any message to start chatting. Costs are deducted from your balance as you use them.',
      '',
      en.help(),
    ].join('\n'),

  help: () =>
    [
      'Commands:',
      `/help: ${COMMANDS.help}`,
      `/new: ${COMMANDS.new}`,
      `/model: ${COMMANDS.model}`,
      `/balance: ${COMMANDS.balance}`,
      `/usage: ${COMMANDS.usage}`,
      `/topup AMOUNT: ${COMMANDS.topup}, e.g. /topup 50000`,
      `/redeem CODE: ${COMMANDS.redeem}`,
      `/link: ${COMMANDS.link}`,
      `/image PROMPT: ${COMMANDS.image}`,
      `/video PROMPT: ${COMMANDS.video}`,
      `/lang: ${COMMANDS.lang}`,
      `/privacy: ${COMMANDS.privacy}`,
      `/export: ${COMMANDS.export}`,
      `/delete: ${COMMANDS.delete}`,
    ].join('\n'),

  unknownCommand: ({ command }) => `Unknown command ${command}. Type /help for the list of commands.`,

  chooseModel: ({ current }) => `Current model: ${current}. Choose a model for this conversation:`,
  modelSet: ({ model }) => `Model changed to ${model}.`,
  conversationReset: () => 'New conversation started. Earlier messages are no longer used.',
  stillAnswering: () => 'Still answering your previous message. Please wait a moment, then send again.',

  balance: ({ balanceMrp }) => `Your balance: ${formatIdr(balanceMrp)}.\nTop up with /topup AMOUNT.`,
  usage: ({ rows }) =>
    rows.length === 0
      ? 'No usage yet.'
      : ['Recent usage:', ...rows.map((r) => `${when(r.at)}  ${r.model}  ${formatIdr(r.costMrp)}`)].join(
          '\n',
        ),

  topupInstructions: ({ transferMrp, code, accounts, expiresAt }) =>
    [
      `Transfer exactly ${formatIdr(transferMrp)} (to the last digit, so it is matched automatically) to one of these accounts:`,
      ...accounts.map((a) => `• ${a.bank} ${a.number}, ${a.holder}`),
      `Top-up code: ${code}`,
      `Valid until ${when(expiresAt)}. Your balance is credited automatically once the transfer arrives.`,
    ].join('\n'),
  topupConfirmed: ({ amountMrp, balanceMrp }) =>
    `Top-up of ${formatIdr(amountMrp)} received. Balance now: ${formatIdr(balanceMrp)}.`,
  amountMissing: ({ minMrp }) => `Give an amount, e.g. /topup 50000 (at least ${formatIdr(minMrp)}).`,
  amountInvalid: ({ minMrp, maxMrp }) =>
    `Invalid amount. Write rupiah digits without dots, between ${formatIdr(minMrp)} and ${formatIdr(maxMrp)}.`,

  redeemOk: ({ amountMrp, balanceMrp }) =>
    `Voucher redeemed: ${formatIdr(amountMrp)} added. Balance now: ${formatIdr(balanceMrp)}.`,
  redeemInvalid: () => 'Voucher code not found. Please check the spelling.',
  redeemUsed: () => 'This voucher code has already been used.',
  redeemMissing: () => 'Give the code, e.g. /redeem ABCD-1234.',

  linkCodeIssued: ({ code, expiresAt }) =>
    `Link code: ${code}\nSend /link ${code} from the other platform (or enter it on the website) before ${when(expiresAt)}. Your balance and history will be combined.`,
  linked: () => 'Accounts linked. Your balance is now shared.',
  linkInvalid: () => 'That link code is wrong or has expired. Ask for a new one with /link.',

  promptMissing: ({ command }) =>
    command === 'image'
      ? 'Describe the image, e.g. /image an orange cat asleep on a sofa.'
      : 'Describe the video, e.g. /video waves on a beach at sunset.',
  photoUndecodable: () => 'That photo could not be read. Please send it again as JPG or PNG.',
  photoChoose: () => 'Edit this image, or ask about it?',
  photoEditButton: () => 'Edit image',
  photoAskButton: () => 'Ask about image',
  photoChoiceExpired: () => 'This choice has expired. Please send the photo again.',
  imageWorking: () => 'Creating your image…',
  videoQueued: () => 'Your video is being made. It will be sent here when ready (usually a few minutes).',
  imageCaption: ({ model, costMrp }) => `${model} · cost ${formatIdr(costMrp)}`,
  videoCaption: ({ model, costMrp, seconds }) => `${model} · ${seconds} s · cost ${formatIdr(costMrp)}`,

  insufficientBalance: ({ neededMrp, balanceMrp }) => {
    const facts = [
      neededMrp === undefined ? '' : `needed ${formatIdr(neededMrp)}`,
      balanceMrp === undefined ? '' : `balance ${formatIdr(balanceMrp)}`,
    ].filter(Boolean);
    return `Insufficient balance${facts.length > 0 ? ` (${facts.join(', ')})` : ''}. Top up with /topup AMOUNT.`;
  },
  rateLimited: ({ retryAfterS }) =>
    retryAfterS === undefined
      ? 'Too many requests. Please try again shortly.'
      : `Too many requests. Please try again in ${Math.max(1, Math.ceil(retryAfterS))} seconds.`,
  modelUnavailable: ({ model }) =>
    `The model ${model ? `${model} ` : ''}is unavailable right now. Try again later or choose another with /model.`,
  contentRefused: () =>
    "The model's safety filter refused this request. You were not charged. Try rewording it.",
  inputTooLong: () =>
    'Your message is too long for this model. Shorten it, or start a new conversation with /new.',
  invalidRequest: () => 'That request could not be processed. Please check what you sent.',
  generationFailed: () => 'Sorry, the answer could not be generated. You were not charged. Please try again.',
  accountSuspended: () => 'Your account is suspended. Please contact AIport support.',

  languageChoose: () => 'Choose a language:',
  languageSet: () => 'Language changed to English.',

  privacy: () =>
    [
      'Privacy:',
      '• Conversations and results are kept for 30 days for support and abuse prevention, then deleted automatically.',
      '• Balance and transaction records are kept as the law requires.',
      '• /export sends you a copy of your data.',
      '• /delete deletes your account and data.',
      '• A zero-retention mode is available: conversations are not stored at all. Turn it on in your account settings on the website.',
    ].join('\n'),
  exportSent: () => 'Your data is ready and has been sent as a file.',
  deleteAsk: () =>
    'Delete your account? Any remaining balance and all history will be lost and cannot be recovered.',
  deleteDone: () => 'Your account and data have been deleted. Thank you for using AIport.',
  deleteConfirmButton: () => 'Yes, delete everything',
  deleteCancelButton: () => 'Cancel',
  deleteCancelled: () => 'Deletion cancelled.',
};
