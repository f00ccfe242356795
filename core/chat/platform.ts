/** The chat platforms the bots serve; also the job channel of their turns. */
export type BotPlatform = 'telegram' | 'slack' | 'discord';
