/**
 * What a photo's caption asks for: an image edit, a question about the image (vision), or unclear
 * (the bot then asks with buttons). Deliberately conservative: only the caption's first meaningful
 * word (after polite openers such as "tolong", "please", "can you") and a closing "?" decide, because
 * a wrong guess either charges for an edit nobody wanted or answers a request with a description.
 * An edit verb up front wins over a closing "?" ("bisa ubah jadi biru?" is still a request).
 */
export type PhotoIntent = 'edit' | 'ask' | 'unclear';

const EDIT_VERBS = new Set([
  // Bahasa Indonesia, with the common -lah/-kan/-in variants people type.
  'ubah',
  'ubahlah',
  'ubahkan',
  'ubahin',
  'ganti',
  'gantilah',
  'gantikan',
  'gantiin',
  'jadikan',
  'jadiin',
  'hapus',
  'hapuskan',
  'hapusin',
  'hilangkan',
  'hilangin',
  'tambahkan',
  'tambahin',
  'tambah',
  'edit',
  'warnai',
  'perbaiki',
  'cerahkan',
  'gelapkan',
  'pindahkan',
  // English.
  'make',
  'change',
  'remove',
  'add',
  'replace',
  'turn',
  'convert',
  'erase',
  'delete',
  'put',
  'recolor',
  'recolour',
  'colorize',
  'transform',
  'swap',
  'enhance',
]);

const QUESTION_WORDS = new Set([
  'apa',
  'apakah',
  'siapa',
  'kenapa',
  'mengapa',
  'bagaimana',
  'gimana',
  'berapa',
  'dimana',
  'kapan',
  'mana',
  'jelaskan',
  'terangkan',
  'ceritakan',
  'deskripsikan',
  'sebutkan',
  'baca',
  'bacakan',
  'terjemahkan',
  'identifikasi',
  'what',
  "what's",
  'whats',
  'who',
  'whose',
  'why',
  'how',
  'where',
  'when',
  'which',
  'is',
  'are',
  'does',
  'do',
  'describe',
  'explain',
  'tell',
  'identify',
  'read',
  'translate',
  'summarize',
  'summarise',
]);

/** Openers that say nothing about the intent; skipped before the first word is judged. */
const OPENERS = new Set([
  'tolong',
  'mohon',
  'coba',
  'bisa',
  'bisakah',
  'please',
  'pls',
  'plz',
  'kindly',
  'can',
  'could',
  'would',
  'you',
  'hi',
  'halo',
]);

export function photoIntent(caption: string): PhotoIntent {
  const text = caption.trim().toLowerCase().replace(/[’`]/g, "'");
  const words = text.match(/[\p{L}\p{N}']+/gu) ?? [];
  const first = words.find((word) => !OPENERS.has(word));
  if (first !== undefined && EDIT_VERBS.has(first)) return 'edit';
  if (first !== undefined && QUESTION_WORDS.has(first)) return 'ask';
  if (text.endsWith('?')) return 'ask';
  return 'unclear';
}
