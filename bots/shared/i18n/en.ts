import { formatAmount, formatBalance, formatCost } from '../rupiah.js';
import {
  type CommandStyle,
  commandStyle,
  type DiscordCommandName,
  formatWib,
  type Messages,
} from './messages.js';

const COMMANDS: Record<DiscordCommandName, string> = {
  start: 'Start and show help',
  help: 'List of commands',
  chat: 'Ask or chat with the AI',
  new: 'Start a new conversation',
  model: 'Choose the AI model',
  balance: 'Show your balance',
  usage: 'Recent usage and costs',
  topup: 'Top up your balance',
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
const rp = (mrp: bigint) => formatBalance(mrp, 'en');
const amount = (mrp: bigint) => formatAmount(mrp, 'en');
const cost = (mrp: bigint) => formatCost(mrp, 'en');

/** English, naming commands as `c` writes them on the person's platform. */
export function english(c: CommandStyle, chatCommand = false): Messages {
  const m: Messages = {
    commandDescription: (command) => COMMANDS[command],

    welcome: ({ name }) =>
      [
        `Hi${name ? `, ${name}` : ''}! I'm AIport: one rupiah balance for many AI models.`,
        'Send any message to start chatting. Costs are deducted from your balance as you use them.',
        '',
        m.help(),
      ].join('\n'),

    help: () =>
      [
        'Commands:',
        `${c('help')}: ${COMMANDS.help}`,
        ...(chatCommand ? [`${c('chat', 'MESSAGE')}: ${COMMANDS.chat}`] : []),
        `${c('new')}: ${COMMANDS.new}`,
        `${c('model')}: ${COMMANDS.model}`,
        `${c('balance')}: ${COMMANDS.balance}`,
        `${c('usage')}: ${COMMANDS.usage}`,
        `${c('topup', 'AMOUNT')}: ${COMMANDS.topup}, e.g. ${c('topup', '50000')}`,
        `${c('redeem', 'CODE')}: ${COMMANDS.redeem}`,
        `${c('link')}: ${COMMANDS.link}`,
        `${c('image', 'PROMPT')}: ${COMMANDS.image}`,
        `${c('video', 'PROMPT')}: ${COMMANDS.video}`,
        `${c('lang')}: ${COMMANDS.lang}`,
        `${c('privacy')}: ${COMMANDS.privacy}`,
        `${c('export')}: ${COMMANDS.export}`,
        `${c('delete')}: ${COMMANDS.delete}`,
      ].join('\n'),

    unknownCommand: ({ command }) =>
      `Unknown command ${c(command)}. Type ${c('help')} for the list of commands.`,

    chooseModel: ({ current }) => `Current model: ${current}. Choose a model for this conversation:`,
    modelSet: ({ model }) => `Model changed to ${model}.`,
    modelUnknown: ({ name }) => `Unknown model "${name}". See the list with ${c('model')}.`,
    modelPrice: ({ name, typicalMrp }) => `${name} · ~${cost(typicalMrp)}/message`,
    conversationReset: () => 'New conversation started. Earlier messages are no longer used.',
    stillAnswering: () => 'Still answering your previous message. Yours will be answered right after.',
    queueFull: () =>
      'A few messages are already waiting to be answered here. Please wait a moment, then send yours again.',

    balance: ({ balanceMrp }) => `Your balance: ${rp(balanceMrp)}.\nTop up with ${c('topup', 'AMOUNT')}.`,
    usage: ({ rows }) =>
      rows.length === 0
        ? 'No usage yet.'
        : ['Recent usage:', ...rows.map((r) => `${when(r.at)}  ${r.model}  ${cost(r.costMrp)}`)].join('\n'),

    topupInstructions: ({ transferMrp, code, accounts, expiresAt }) =>
      [
        `Transfer exactly ${amount(transferMrp)} (to the last digit, so it is matched automatically) to one of these accounts:`,
        ...accounts.map((a) => `• Bank ${a.bank}, account number ${a.number}, holder ${a.holder}`),
        `Put the code ${code} in the transfer note (berita/keterangan transfer).`,
        `Valid until ${when(expiresAt)}. Your balance is credited automatically once the transfer arrives.`,
      ].join('\n'),
    topupConfirmed: ({ amountMrp, balanceMrp }) =>
      `Top-up of ${amount(amountMrp)} received. Balance now: ${rp(balanceMrp)}.`,
    topupUnavailable: ({ stars, vouchers }) =>
      [
        'Top-up by bank transfer is not available yet.',
        ...(stars ? ['You can pay with Telegram Stars: choose a package below.'] : []),
        ...(vouchers ? [`Have a voucher code? Redeem it with ${c('redeem', 'CODE')}.`] : []),
      ].join('\n'),
    starsButton: ({ stars, amountMrp }) => `⭐ ${stars} Stars → ${amount(amountMrp)} balance`,
    starsOffer: () => 'Or pay with Telegram Stars:',
    amountMissing: ({ minMrp }) =>
      `Give an amount, e.g. ${c('topup', '50000')} (at least ${amount(minMrp)}).`,
    amountInvalid: ({ minMrp, maxMrp }) =>
      `Invalid amount. Write rupiah digits without separators, between ${amount(minMrp)} and ${amount(maxMrp)}.`,

    redeemOk: ({ amountMrp, balanceMrp }) =>
      `Voucher redeemed: ${amount(amountMrp)} added. Balance now: ${rp(balanceMrp)}.`,
    redeemInvalid: () => 'Voucher code not found. Please check the spelling.',
    redeemUsed: () => 'This voucher code has already been used.',
    redeemMissing: () => `Give the code, e.g. ${c('redeem', 'ABCD-1234')}.`,

    linkCodeIssued: ({ code, expiresAt }) =>
      `Link code: ${code}\nSend /link ${code} from the other platform (or enter it on the website) before ${when(expiresAt)}. Your balance and history will be combined. Never give this code to anyone else.`,
    linked: () => 'Accounts linked. Your balance is now shared.',
    linkInvalid: () => `That link code is wrong or has expired. Ask for a new one with ${c('link')}.`,
    linkSamePlatform: () =>
      'This code was made on the same platform. Enter it from another platform (or on the website).',
    linkedNotice: ({ platform }) =>
      `Your link code was just used: a ${platform} account is now linked with yours. If this was not you, contact AIport support right away.`,
    keyLimitNotice: (n) => {
      const which = { total: 'total', day: 'daily', week: 'weekly', month: 'monthly' }[n.limit];
      const key = `"${n.keyName}" (${n.keyPrefix}…)`;
      return [
        n.thresholdPercent >= 100
          ? `Your API key ${key} has reached its ${which} spend limit of ${rp(n.limitMrp)}: its requests are refused until the limit allows them again.`
          : `Your API key ${key} has used ${n.thresholdPercent}% of its ${which} spend limit: ${rp(n.spentMrp)} of ${rp(n.limitMrp)}.`,
        n.resetsAt
          ? `The limit starts over at ${when(n.resetsAt)}.`
          : 'Raise the limit in your dashboard to keep using this key.',
      ].join('\n');
    },

    notYourButton: () => 'This button is not for you.',
    sentPrivately: () => 'I sent the answer to you in a private chat.',
    openPrivateChat: ({ link }) => `This is private. Open a chat with me to see it: ${link}`,

    voiceUnavailable: () => "Sorry, I can't listen to voice messages yet. Please type your message.",
    voiceTooLong: ({ maxSeconds }) =>
      `That voice message is too long (at most ${maxSeconds} seconds). Send a shorter one or type it.`,
    voiceTooLarge: ({ maxMb }) =>
      `That audio file is too large (at most ${maxMb} MB). Send a shorter one or type your message.`,
    voiceHeard: ({ text }) => `🎤 “${text}”`,
    voiceNothingHeard: () => "I couldn't hear any words in that voice message. Please try again or type it.",
    voiceUnreadable: () => "I couldn't read that audio file. Send a voice message, or type your message.",
    stickerReply: () => 'Nice sticker! Send a text message if there is anything I can help with.',
    locationReply: () =>
      "I can't read locations yet. Write your question about the place, e.g. with the city's name.",
    photoWithoutCaption: () =>
      'Got your photo. Send it again with a caption: a question about it, or an edit (e.g. "make it black and white").',
    documentUnsupported: () =>
      "I can't read this document yet. Send a .txt, .md or .pdf file with your question as the caption.",
    documentTooLarge: ({ maxKb }) => `That document is too large (at most ${maxKb} KB).`,
    documentNoText: () =>
      'This PDF has no readable text (it may be a scan). Send a text version, or a photo of the page with your question.',
    documentNeedsQuestion: () => 'Send the document again with your question as its caption.',

    promptMissing: ({ command }) =>
      command === 'image'
        ? `Describe the image, e.g. ${c('image', 'an orange cat asleep on a sofa')}.`
        : `Describe the video, e.g. ${c('video', 'waves on a beach at sunset')}.`,
    photoUndecodable: () => 'That photo could not be read. Please send it again as JPG or PNG.',
    photoChoose: () => 'Edit this image, or ask about it?',
    photoEditButton: () => 'Edit image',
    photoAskButton: () => 'Ask about image',
    photoChoiceExpired: () => 'This choice has expired. Please send the photo again.',
    imageWorking: () => 'Creating your image…',
    videoQueued: () => 'Your video is queued. It will be sent here when ready (usually a few minutes).',
    videoRunning: ({ percent }) =>
      `Your video is being made${percent === undefined ? '' : ` (${Math.round(percent)}%)`}…`,
    mediaFailed: ({ kind }) =>
      `The ${kind === 'video' ? 'video' : 'image'} could not be made. You were not charged. Please try again.`,
    imageCaption: ({ model, costMrp }) => `${model} · cost ${cost(costMrp)}`,
    videoCaption: ({ model, costMrp, seconds }) => `${model} · ${seconds} s · cost ${cost(costMrp)}`,

    insufficientBalance: ({ neededMrp, balanceMrp }) => {
      const facts = [
        neededMrp === undefined ? '' : `estimated for the longest possible answer: ${amount(neededMrp)}`,
        balanceMrp === undefined ? '' : `balance ${rp(balanceMrp)}`,
      ].filter(Boolean);
      return [
        `Insufficient balance${facts.length > 0 ? ` (${facts.join('; ')})` : ''}.`,
        `Top up with ${c('topup', 'AMOUNT')}, choose a cheaper model with ${c('model')}, or start a new conversation with ${c('new')}.`,
      ].join(' ');
    },
    rateLimited: ({ retryAfterS }) =>
      retryAfterS === undefined
        ? 'Too many requests. Please try again shortly.'
        : `Too many requests. Please try again in ${Math.max(1, Math.ceil(retryAfterS))} seconds.`,
    modelUnavailable: ({ model }) =>
      `The model ${model ? `${model} ` : ''}is unavailable right now. Try again later or choose another with ${c('model')}.`,
    contentRefused: () =>
      "The model's safety filter refused this request. You were not charged. Try rewording it.",
    inputTooLong: () =>
      `Your message is too long for this model. Shorten it, or start a new conversation with ${c('new')}.`,
    invalidRequest: () => 'That request could not be processed. Please check what you sent.',
    generationFailed: () =>
      'Sorry, the answer could not be generated. You were not charged. Please try again.',
    accountSuspended: () => 'Your account is suspended. Please contact AIport support.',

    languageChoose: () => 'Choose a language:',
    languageSet: () => 'Language changed to English.',

    privacy: () =>
      [
        'Privacy:',
        '• Conversations and results are kept for 30 days for support and abuse prevention, then deleted automatically.',
        '• Balance and transaction records are kept as the law requires.',
        `• ${c('export')} sends you a copy of your data.`,
        `• ${c('delete')} deletes your account and data.`,
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
  return m;
}

/** English with Telegram's command syntax. */
export const en: Messages = english(commandStyle('telegram'));
