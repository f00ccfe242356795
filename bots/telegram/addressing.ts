import type { Message } from 'grammy/types';

export interface BotIdentity {
  id: number;
  /** Without the leading `@`. */
  username: string;
}

/**
 * The prompt in a message meant for the bot, or undefined when the message is not for it.
 * Private chats: every text. Groups (where privacy mode shows the bot only commands, replies
 * and mentions): only replies to the bot's own messages and messages mentioning it; the
 * mention itself is removed from the prompt. Captions count as text (photos with a question).
 */
export function promptForBot(message: Message, bot: BotIdentity): string | undefined {
  const text = message.text ?? message.caption;
  if (text === undefined) return undefined;
  if (message.chat.type === 'private') return text.trim();
  const entities = message.entities ?? message.caption_entities ?? [];
  const mentions = entities.filter(
    (e) =>
      (e.type === 'mention' &&
        text.slice(e.offset, e.offset + e.length).toLowerCase() === `@${bot.username.toLowerCase()}`) ||
      (e.type === 'text_mention' && e.user.id === bot.id),
  );
  const isReplyToBot = message.reply_to_message?.from?.id === bot.id;
  if (mentions.length === 0 && !isReplyToBot) return undefined;
  let prompt = text;
  for (const mention of [...mentions].sort((a, b) => b.offset - a.offset)) {
    prompt = prompt.slice(0, mention.offset) + prompt.slice(mention.offset + mention.length);
  }
  return prompt.replace(/\s{2,}/g, ' ').trim();
}

/**
 * Whether a message without text (a voice note, sticker, location, captionless photo) is meant
 * for the bot: always in private chats, in groups only as a reply to one of the bot's messages
 * (or with a caption that mentions it).
 */
export function addressedToBot(message: Message, bot: BotIdentity): boolean {
  if (message.chat.type === 'private') return true;
  if (message.reply_to_message?.from?.id === bot.id) return true;
  return message.caption !== undefined && promptForBot(message, bot) !== undefined;
}
