import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { promptForBot } from './addressing.js';

const bot = { id: 42, username: 'AIportBot' };
const user = { id: 7, is_bot: false, first_name: 'Budi' };

function message(chatType: 'private' | 'supergroup', text: string, extra: Partial<Message> = {}): Message {
  const chat =
    chatType === 'private'
      ? { id: 7, type: 'private' as const, first_name: 'Budi' }
      : { id: -100, type: 'supergroup' as const, title: 'Grup' };
  return { message_id: 1, date: 0, chat, from: user, text, ...extra } as Message;
}

describe('promptForBot', () => {
  it('answers every text in a private chat', () => {
    expect(promptForBot(message('private', '  Apa kabar? '), bot)).toBe('Apa kabar?');
  });

  it('in groups, answers mentions (without the mention) and replies to the bot only', () => {
    const mention = message('supergroup', 'Hai @aiportbot jelaskan RAG', {
      entities: [{ type: 'mention', offset: 4, length: 10 }],
    });
    expect(promptForBot(mention, bot)).toBe('Hai jelaskan RAG');
    const reply = message('supergroup', 'lanjutkan', {
      reply_to_message: {
        message_id: 2,
        date: 0,
        chat: mention.chat,
        from: { id: 42, is_bot: true, first_name: 'AIport' },
      } as Message['reply_to_message'],
    });
    expect(promptForBot(reply, bot)).toBe('lanjutkan');
    expect(promptForBot(message('supergroup', 'ngobrol biasa'), bot)).toBeUndefined();
    const other = message('supergroup', '@someone halo', {
      entities: [{ type: 'mention', offset: 0, length: 8 }],
    });
    expect(promptForBot(other, bot)).toBeUndefined();
  });

  it('reads captions and ignores messages without text', () => {
    const photo = message('private', '', { text: undefined, caption: 'Apa ini?' } as Partial<Message>);
    expect(promptForBot(photo, bot)).toBe('Apa ini?');
    expect(
      promptForBot(message('private', '', { text: undefined } as Partial<Message>), bot),
    ).toBeUndefined();
  });
});
