import { formatAmount, formatBalance, formatCost } from '../rupiah.js';
import {
  type CommandStyle,
  commandStyle,
  type DiscordCommandName,
  formatWib,
  type Messages,
} from './messages.js';

const COMMANDS: Record<DiscordCommandName, string> = {
  start: 'Mulai dan lihat bantuan',
  help: 'Daftar perintah',
  chat: 'Tanya atau ngobrol dengan AI',
  new: 'Mulai percakapan baru',
  model: 'Pilih model AI',
  balance: 'Lihat saldo',
  usage: 'Riwayat pemakaian dan biaya',
  topup: 'Isi saldo',
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
const rp = (mrp: bigint) => formatBalance(mrp, 'id');
const amount = (mrp: bigint) => formatAmount(mrp, 'id');
const cost = (mrp: bigint) => formatCost(mrp, 'id');

/** Bahasa Indonesia, naming commands as `c` writes them on the person's platform. */
export function indonesian(c: CommandStyle, chatCommand = false): Messages {
  const m: Messages = {
    commandDescription: (command) => COMMANDS[command],

    welcome: ({ name }) =>
      [
        `Halo${name ? `, ${name}` : ''}! Saya AIport: satu saldo rupiah untuk banyak model AI.`,
        'Kirim pesan apa saja untuk mulai mengobrol. Biaya dipotong dari saldo sesuai pemakaian.',
        '',
        m.help(),
      ].join('\n'),

    help: () =>
      [
        'Perintah:',
        `${c('help')}: ${COMMANDS.help}`,
        ...(chatCommand ? [`${c('chat', 'PESAN')}: ${COMMANDS.chat}`] : []),
        `${c('new')}: ${COMMANDS.new}`,
        `${c('model')}: ${COMMANDS.model}`,
        `${c('balance')}: ${COMMANDS.balance}`,
        `${c('usage')}: ${COMMANDS.usage}`,
        `${c('topup', 'JUMLAH')}: ${COMMANDS.topup}, misalnya ${c('topup', '50000')}`,
        `${c('redeem', 'KODE')}: ${COMMANDS.redeem}`,
        `${c('link')}: ${COMMANDS.link}`,
        `${c('image', 'PROMPT')}: ${COMMANDS.image}`,
        `${c('video', 'PROMPT')}: ${COMMANDS.video}`,
        `${c('lang')}: ${COMMANDS.lang}`,
        `${c('privacy')}: ${COMMANDS.privacy}`,
        `${c('export')}: ${COMMANDS.export}`,
        `${c('delete')}: ${COMMANDS.delete}`,
      ].join('\n'),

    unknownCommand: ({ command }) =>
      `Perintah ${c(command)} tidak dikenal. Ketik ${c('help')} untuk daftar perintah.`,

    chooseModel: ({ current }) => `Model sekarang: ${current}. Pilih model untuk percakapan ini:`,
    modelSet: ({ model }) => `Model diganti ke ${model}.`,
    modelUnknown: ({ name }) => `Model "${name}" tidak dikenal. Lihat daftarnya dengan ${c('model')}.`,
    modelPrice: ({ name, typicalMrp }) => `${name} · ±${cost(typicalMrp)}/pesan`,
    conversationReset: () => 'Percakapan baru dimulai. Riwayat sebelumnya tidak lagi dipakai.',
    stillAnswering: () => 'Masih menjawab pesan sebelumnya. Pesan Anda akan dijawab setelahnya.',
    queueFull: () =>
      'Sudah ada beberapa pesan yang menunggu dijawab di sini. Mohon tunggu sebentar, lalu kirim lagi pesan Anda.',

    balance: ({ balanceMrp }) => `Saldo Anda: ${rp(balanceMrp)}.\nIsi saldo dengan ${c('topup', 'JUMLAH')}.`,
    usage: ({ rows }) =>
      rows.length === 0
        ? 'Belum ada pemakaian.'
        : ['Pemakaian terakhir:', ...rows.map((r) => `${when(r.at)}  ${r.model}  ${cost(r.costMrp)}`)].join(
            '\n',
          ),

    topupInstructions: ({ transferMrp, code, accounts, expiresAt }) =>
      [
        `Transfer tepat ${amount(transferMrp)} (sampai digit terakhir, agar otomatis dikenali) ke salah satu rekening:`,
        ...accounts.map((a) => `• Bank ${a.bank}, no. rekening ${a.number}, a.n. ${a.holder}`),
        `Tulis kode ${code} di berita/keterangan transfer.`,
        `Berlaku sampai ${when(expiresAt)}. Saldo bertambah otomatis setelah transfer masuk.`,
      ].join('\n'),
    topupConfirmed: ({ amountMrp, balanceMrp }) =>
      `Top-up ${amount(amountMrp)} sudah masuk. Saldo sekarang: ${rp(balanceMrp)}.`,
    topupUnavailable: ({ stars, vouchers }) =>
      [
        'Isi saldo lewat transfer bank belum tersedia.',
        ...(stars ? ['Anda bisa membayar dengan Telegram Stars: pilih paket di bawah.'] : []),
        ...(vouchers ? [`Punya kode voucher? Tukarkan dengan ${c('redeem', 'KODE')}.`] : []),
      ].join('\n'),
    starsButton: ({ stars, amountMrp }) => `⭐ ${stars} Stars → saldo ${amount(amountMrp)}`,
    starsOffer: () => 'Atau bayar dengan Telegram Stars:',
    amountMissing: ({ minMrp }) =>
      `Sebutkan jumlahnya, misalnya ${c('topup', '50000')} (minimal ${amount(minMrp)}).`,
    amountInvalid: ({ minMrp, maxMrp }) =>
      `Jumlah tidak valid. Tulis angka rupiah tanpa titik, antara ${amount(minMrp)} dan ${amount(maxMrp)}.`,

    redeemOk: ({ amountMrp, balanceMrp }) =>
      `Voucher berhasil: ${amount(amountMrp)} ditambahkan. Saldo sekarang: ${rp(balanceMrp)}.`,
    redeemInvalid: () => 'Kode voucher tidak ditemukan. Periksa lagi penulisannya.',
    redeemUsed: () => 'Kode voucher ini sudah pernah dipakai.',
    redeemMissing: () => `Tulis kodenya, misalnya ${c('redeem', 'ABCD-1234')}.`,

    linkCodeIssued: ({ code, expiresAt }) =>
      `Kode penghubung: ${code}\nKirim /link ${code} dari platform lain (atau masukkan di situs) sebelum ${when(expiresAt)}. Saldo dan riwayat akan menjadi satu. Jangan berikan kode ini kepada orang lain.`,
    linked: () => 'Akun berhasil dihubungkan. Saldo kini dipakai bersama.',
    linkInvalid: () => `Kode penghubung salah atau sudah kedaluwarsa. Minta kode baru dengan ${c('link')}.`,
    linkSamePlatform: () =>
      'Kode ini dibuat di platform yang sama. Masukkan kodenya dari platform lain (atau di situs).',
    linkedNotice: ({ platform }) =>
      `Kode penghubung Anda baru dipakai: akun ${platform} kini terhubung dengan akun Anda. Jika itu bukan Anda, segera hubungi dukungan AIport.`,
    keyLimitNotice: (n) => {
      const which = { total: 'total', day: 'harian', week: 'mingguan', month: 'bulanan' }[n.limit];
      const key = `"${n.keyName}" (${n.keyPrefix}…)`;
      return [
        n.thresholdPercent >= 100
          ? `Kunci API Anda ${key} telah mencapai batas pemakaian ${which} sebesar ${rp(n.limitMrp)}: permintaannya ditolak sampai batas mengizinkan lagi.`
          : `Kunci API Anda ${key} telah memakai ${n.thresholdPercent}% dari batas pemakaian ${which}: ${rp(n.spentMrp)} dari ${rp(n.limitMrp)}.`,
        n.resetsAt
          ? `Batas ini mulai lagi pada ${when(n.resetsAt)}.`
          : 'Naikkan batasnya di dasbor untuk tetap memakai kunci ini.',
      ].join('\n');
    },

    notYourButton: () => 'Tombol ini bukan untuk Anda.',
    sentPrivately: () => 'Jawabannya saya kirim lewat chat pribadi.',
    openPrivateChat: ({ link }) => `Ini bersifat pribadi. Buka chat dengan saya untuk melihatnya: ${link}`,

    voiceUnavailable: () => 'Maaf, pesan suara belum bisa saya dengar. Silakan ketik pesannya.',
    voiceTooLong: ({ maxSeconds }) =>
      `Pesan suara terlalu panjang (maksimal ${maxSeconds} detik). Kirim yang lebih pendek atau ketik pesannya.`,
    voiceTooLarge: ({ maxMb }) =>
      `File audio terlalu besar (maksimal ${maxMb} MB). Kirim yang lebih pendek atau ketik pesannya.`,
    voiceHeard: ({ text }) => `🎤 “${text}”`,
    voiceNothingHeard: () =>
      'Saya tidak mendengar kata apa pun di pesan suara itu. Coba lagi atau ketik pesannya.',
    voiceUnreadable: () => 'File audio itu tidak bisa saya baca. Kirim pesan suara, atau ketik pesannya.',
    stickerReply: () => 'Stiker yang bagus! Kirim pesan teks kalau ada yang bisa saya bantu.',
    locationReply: () =>
      'Saya belum bisa membaca lokasi. Tulis pertanyaan tentang tempat itu, misalnya nama kotanya.',
    photoWithoutCaption: () =>
      'Fotonya sudah saya terima. Kirim lagi dengan keterangan: pertanyaan tentang foto, atau perintah edit (misalnya "jadikan hitam putih").',
    documentUnsupported: () =>
      'Dokumen ini belum bisa saya baca. Kirim berkas .txt, .md atau .pdf dengan pertanyaan di keterangannya.',
    documentTooLarge: ({ maxKb }) => `Dokumennya terlalu besar (maksimal ${maxKb} KB).`,
    documentNoText: () =>
      'PDF ini tidak berisi teks yang bisa dibaca (mungkin hasil pindaian). Kirim versi teksnya, atau foto halamannya dengan pertanyaan.',
    documentNeedsQuestion: () =>
      'Kirim ulang dokumennya dengan pertanyaan Anda sebagai keterangan (caption).',

    promptMissing: ({ command }) =>
      command === 'image'
        ? `Tulis deskripsi gambarnya, misalnya ${c('image', 'kucing oranye tidur di sofa')}.`
        : `Tulis deskripsi videonya, misalnya ${c('video', 'ombak di pantai saat senja')}.`,
    photoUndecodable: () => 'Foto tidak bisa dibaca. Kirim ulang sebagai JPG atau PNG.',
    photoChoose: () => 'Edit gambar ini, atau tanya tentang gambarnya?',
    photoEditButton: () => 'Edit gambar',
    photoAskButton: () => 'Tanya tentang gambar',
    photoChoiceExpired: () => 'Pilihan ini sudah kedaluwarsa. Kirim ulang fotonya.',
    imageWorking: () => 'Sedang membuat gambar…',
    videoQueued: () =>
      'Video masuk antrean. Hasilnya dikirim ke sini setelah selesai (biasanya beberapa menit).',
    videoRunning: ({ percent }) =>
      `Video sedang dibuat${percent === undefined ? '' : ` (${Math.round(percent)}%)`}…`,
    mediaFailed: ({ kind }) =>
      `${kind === 'video' ? 'Video' : 'Gambar'} gagal dibuat. Saldo tidak dipotong. Silakan coba lagi.`,
    imageCaption: ({ model, costMrp }) => `${model} · biaya ${cost(costMrp)}`,
    videoCaption: ({ model, costMrp, seconds }) => `${model} · ${seconds} detik · biaya ${cost(costMrp)}`,

    insufficientBalance: ({ neededMrp, balanceMrp }) => {
      const facts = [
        neededMrp === undefined
          ? ''
          : `perkiraan untuk jawaban terpanjang yang mungkin: ${amount(neededMrp)}`,
        balanceMrp === undefined ? '' : `saldo ${rp(balanceMrp)}`,
      ].filter(Boolean);
      return [
        `Saldo tidak cukup${facts.length > 0 ? ` (${facts.join('; ')})` : ''}.`,
        `Isi saldo dengan ${c('topup', 'JUMLAH')}, pilih model yang lebih murah dengan ${c('model')}, atau mulai percakapan baru dengan ${c('new')}.`,
      ].join(' ');
    },
    rateLimited: ({ retryAfterS }) =>
      retryAfterS === undefined
        ? 'Terlalu banyak permintaan. Coba lagi sebentar lagi.'
        : `Terlalu banyak permintaan. Coba lagi dalam ${Math.max(1, Math.ceil(retryAfterS))} detik.`,
    modelUnavailable: ({ model }) =>
      `Model ${model ? `${model} ` : ''}sedang tidak tersedia. Coba lagi nanti atau pilih model lain dengan ${c('model')}.`,
    contentRefused: () =>
      'Permintaan ini ditolak oleh filter keamanan model. Tidak ada biaya. Coba ubah kata-katanya.',
    inputTooLong: () =>
      `Pesan terlalu panjang untuk model ini. Persingkat, atau mulai percakapan baru dengan ${c('new')}.`,
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
        `• ${c('export')} mengirim salinan data Anda.`,
        `• ${c('delete')} menghapus akun dan data Anda.`,
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
  return m;
}

/** Bahasa Indonesia with Telegram's command syntax. */
export const id: Messages = indonesian(commandStyle('telegram'));
