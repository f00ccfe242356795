import { describe, expect, it } from 'vitest';
import { photoIntent } from './photo-intent.js';

describe('photoIntent', () => {
  it.each([
    'ubah latarnya jadi biru',
    'Ganti bajunya dengan kemeja merah',
    'jadikan gaya kartun',
    'hapus orang di belakang',
    'Tolong tambahkan topi',
    'edit jadi hitam putih',
    'make it look like a painting',
    'Please change the sky to sunset',
    'remove the car',
    'add a hat',
    'can you make it blue?',
    'bisa ubah jadi malam hari?',
  ])('"%s" is an edit', (caption) => expect(photoIntent(caption)).toBe('edit'));

  it.each([
    'Apa ini?',
    'apa nama bunga ini',
    'What is in this picture',
    "what's this",
    'jelaskan gambar ini',
    'describe the photo',
    'Tolong jelaskan isinya',
    'ini di mana?',
    'kucing ini lucu ya?',
  ])('"%s" is a question', (caption) => expect(photoIntent(caption)).toBe('ask'));

  it.each(['kucing oranye', 'liburan kemarin', 'sunset', '   '])('"%s" is unclear', (caption) =>
    expect(photoIntent(caption)).toBe('unclear'),
  );
});
