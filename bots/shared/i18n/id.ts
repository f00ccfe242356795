import { formatIdr } from '../../../core/ledger/index.js';
import { type BotCommandName, formatWib, type Messages } from './messages.js';

const COMMANDS: Record<BotCommandName, string> = {
  start: 'Mulai dan lihat bantuan',
  help: 'Daftar perintah',
  new: 'Mulai percakapan baru',
  model: 'Pilih model AI',
  balance: 'Lihat saldo',
  usage: 'Riwayat pemakaian dan biaya',
  topup: 'Isi saldo lewat transfer bank',
  redeem: 'Tukarkan kode voucher',
  link: 'Hubungkan akun dengan platform lain',
  image: 'Buat gambar dari teks',
  video: 'Buat video dari teks',
  lang: 'Ganti bahasa',
  privacy: 'Cara kami menyimpan data Anda',
  export: 'Unduh data Anda',
  delete: 'Hapus akun dan data Anda',
};

const when = (date: Date) => formatWib(date, 'id-ID');

export const id: Messages = {
  commandDescription: (command) => COMMANDS[command],

  welcome: ({ name }) =>
    [
      `Halo${name ? `, ${name}` : ''}! Saya AIport: satu saldo rupiah untuk banyak model AI.`,
      'Kirim pesan apa saja untuk mulai mengobrol. Biaya dipotong dari saldo sesuai pemakaian.',
      '',
      id.help(),
    ].join('\n'),

  help: () =>
    [
      'Perintah:',
      `/help: ${COMMANDS.help}`,
      `/new: ${COMMANDS.new}`,
      `/model: ${COMMANDS.model}`,
      `/balance: ${COMMANDS.balance}`,
      `/usage: ${COMMANDS.usage}`,
      `/topup JUMLAH: ${COMMANDS.topup}, misalnya /topup 50000`,
      `/redeem KODE: ${COMMANDS.redeem}`,
      `/link: ${COMMANDS.link}`,
      `/image PROMPT: ${COMMANDS.image}`,
      `/video PROMPT: ${COMMANDS.video}`,
      `/lang: ${COMMANDS.lang}`,
      `/privacy: ${COMMANDS.privacy}`,
      `/export: ${COMMANDS.export}`,
      `/delete: ${COMMANDS.delete}`,
    ].join('\n'),

  unknownCommand: ({ command }) => `Perintah ${command} tidak dikenal. Ketik /help untuk daftar perintah.`,

  chooseModel: ({ current }) => `Model sekarang: ${current}. Pilih model untuk percakapan ini:`,
  modelSet: ({ model }) => `Model diganti ke ${model}.`,
  conversationReset: () => 'Percakapan baru dimulai. Riwayat sebelumnya tidak lagi dipakai.',
  stillAnswering: () => 'Masih menjawab pesan sebelumnya. Tunggu sebentar, lalu kirim lagi.',

  balance: ({ balanceMrp }) => `Saldo Anda: ${formatIdr(balanceMrp)}.\nIsi saldo dengan /topup JUMLAH.`,
  usage: ({ rows }) =>
    rows.length === 0
      ? 'Belum ada pemakaian.'
      : [
          'Pemakaian terakhir:',
          ...rows.map((r) => `${when(r.at)}  ${r.model}  ${formatIdr(r.costMrp)}`),
        ].join('\n'),

  topupInstructions: ({ transferMrp, code, accounts, expiresAt }) =>
    [
      `Transfer tepat ${formatIdr(transferMrp)} (sampai digit terakhir, agar otomatis dikenali) ke salah satu rekening:`,
      ...accounts.map((a) => `• ${a.bank} ${a.number} a.n. ${a.holder}`),
      `Kode top-up: ${code}`,
      `Berlaku sampai ${when(expiresAt)}. Saldo bertambah otomatis setelah transfer masuk.`,
    ].join('\n'),
  topupConfirmed: ({ amountMrp, balanceMrp }) =>
    `Top-up ${formatIdr(amountMrp)} sudah masuk. Saldo sekarang: ${formatIdr(balanceMrp)}.`,
  amountMissing: ({ minMrp }) => `Sebutkan jumlahnya, misalnya /topup 50000 (minimal ${formatIdr(minMrp)}).`,
  amountInvalid: ({ minMrp, maxMrp }) =>
    `Jumlah tidak valid. Tulis angka rupiah tanpa titik, antara ${formatIdr(minMrp)} dan ${formatIdr(maxMrp)}.`,

  redeemOk: ({ amountMrp, balanceMrp }) =>
    `Voucher berhasil: ${formatIdr(amountMrp)} ditambahkan. Saldo sekarang: ${formatIdr(balanceMrp)}.`,
  redeemInvalid: () => 'Kode voucher tidak ditemukan. Periksa lagi penulisannya.',
  redeemUsed: () => 'Kode voucher ini sudah pernah dipakai.',
  redeemMissing: () => 'Tulis kodenya, misalnya /redeem ABCD-1234.',

  linkCodeIssued: ({ code, expiresAt }) =>
    `Kode penghubung: ${code}\nKirim /link ${code} dari platform lain (atau masukkan di situs) sebelum ${when(expiresAt)}. Saldo dan riwayat akan menjadi satu.`,
  linked: () => 'Akun berhasil dihubungkan. Saldo kini dipakai bersama.',
  linkInvalid: () => 'Kode penghubung salah atau sudah kedaluwarsa. Minta kode baru dengan /link.',

  promptMissing: ({ command }) =>
    command === 'image'
      ? 'Tulis deskripsi gambarnya, misalnya /image kucing oranye tidur di sofa.'
      : 'Tulis deskripsi videonya, misalnya /video ombak di pantai saat senja.',
  photoUndecodable: () => 'Foto tidak bisa dibaca. Kirim ulang sebagai JPG atau PNG.',
  photoChoose: () => 'Edit gambar ini, atau tanya tentang gambarnya?',
  photoEditButton: () => 'Edit gambar',
  photoAskButton: () => 'Tanya tentang gambar',
  photoChoiceExpired: () => 'Pilihan ini sudah kedaluwarsa. Kirim ulang fotonya.',
  imageWorking: () => 'Sedang membuat gambar…',
  videoQueued: () =>
    'Video sedang dibuat. Hasilnya dikirim ke sini setelah selesai (biasanya beberapa menit).',
  imageCaption: ({ model, costMrp }) => `${model} · biaya ${formatIdr(costMrp)}`,
  videoCaption: ({ model, costMrp, seconds }) => `${model} · ${seconds} detik · biaya ${formatIdr(costMrp)}`,

  insufficientBalance: ({ neededMrp, balanceMrp }) => {
    const facts = [
      neededMrp === undefined ? '' : `dibutuhkan ${formatIdr(neededMrp)}`,
      balanceMrp === undefined ? '' : `saldo ${formatIdr(balanceMrp)}`,
    ].filter(Boolean);
    return `Saldo tidak cukup${facts.length > 0 ? ` (${facts.join(', ')})` : ''}. Isi saldo dengan /topup JUMLAH.`;
  },
  rateLimited: ({ retryAfterS }) =>
    retryAfterS === undefined
      ? 'Terlalu banyak permintaan. Coba lagi sebentar lagi.'
      : `Terlalu banyak permintaan. Coba lagi dalam ${Math.max(1, Math.ceil(retryAfterS))} detik.`,
  modelUnavailable: ({ model }) =>
    `Model ${model ? `${model} ` : ''}sedang tidak tersedia. Coba lagi nanti atau pilih model lain dengan /model.`,
  contentRefused: () =>
    'Permintaan ini ditolak oleh filter keamanan model. Tidak ada biaya. Coba ubah kata-katanya.',
  inputTooLong: () =>
    'Pesan terlalu panjang untuk model ini. Persingkat, atau mulai percakapan baru dengan /new.',
  invalidRequest: () => 'Permintaan tidak bisa diproses. Periksa lagi isinya.',
  generationFailed: () => 'Maaf, jawaban gagal dibuat. Saldo tidak dipotong. Silakan coba lagi.',
  accountSuspended: () => 'Akun Anda sedang ditangguhkan. Hubungi dukungan AIport untuk bantuan.',

  languageChoose: () => 'Pilih bahasa:',
  languageSet: () => 'Bahasa diganti ke Bahasa Indonesia.',

  privacy: () =>
    [
      'Privasi:',
      '• Isi percakapan dan hasil disimpan 30 hari untuk dukungan dan pencegahan penyalahgunaan, lalu dihapus otomatis.',
      '• Catatan saldo dan transaksi disimpan sesuai kewajiban hukum.',
      '• /export mengirim salinan data Anda.',
      '• /delete menghapus akun dan data Anda.',
      '• Mode tanpa penyimpanan (zero-retention) tersedia: isi percakapan tidak disimpan sama sekali. Aktifkan lewat pengaturan akun di situs.',
    ].join('\n'),
  exportSent: () => 'Data Anda sudah disiapkan dan dikirim sebagai berkas.',
  deleteAsk: () =>
    'Yakin ingin menghapus akun? Sisa saldo dan semua riwayat akan hilang dan tidak bisa dikembalikan.',
  deleteDone: () => 'Akun dan data Anda sudah dihapus. Terima kasih telah memakai AIport.',
  deleteConfirmButton: () => 'Ya, hapus semuanya',
  deleteCancelButton: () => 'Batal',
  deleteCancelled: () => 'Penghapusan dibatalkan.',
};
