/**
 * The "edit or ask?" buttons under a photo with an unclear caption: `photo:edit:OWNER:TOKEN` /
 * `photo:ask:OWNER:TOKEN`, where the owner is the platform user who sent the photo and the token
 * names the pending photo (see pending-choices). Within Telegram's 64-byte `callback_data` and
 * Discord's 100-character `custom_id`.
 */
export type PhotoAction = 'edit' | 'ask';

export const PHOTO_CHOICE_PATTERN = /^photo:(edit|ask):(\d{1,20}):([\w-]{1,32})$/;

export function encodePhotoChoice(action: PhotoAction, owner: string, token: string): string {
  return `photo:${action}:${owner}:${token}`;
}

export function decodePhotoChoice(
  data: string | undefined,
): { action: PhotoAction; owner: string; token: string } | undefined {
  const match = data === undefined ? null : PHOTO_CHOICE_PATTERN.exec(data);
  return match ? { action: match[1] as PhotoAction, owner: match[2]!, token: match[3]! } : undefined;
}
