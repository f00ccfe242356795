/**
 * Audio files for tests, built byte by byte as real encoders write them:
 * - `oggOpusVoice`: an Ogg Opus stream (RFC 7845) like a Telegram voice note: OpusHead, OpusTags,
 *   then 20 ms SILK packets, pages with real CRCs and granule positions. The words "spoken" in it
 *   ride in an OpusTags comment `SPOKEN=...` so the fake upstream can "hear" them.
 * - `wavSpeech`: 16 kHz mono 16-bit PCM.
 * Options lie on purpose where a test needs it (`claimedSeconds` sets the last granule position).
 */

const OPUS_PRE_SKIP = 312;

export interface OggOpusOptions {
  seconds: number;
  spoken: string;
  /** The last page's granule position says this many seconds instead of the truth. */
  claimedSeconds?: number;
  /** Bytes of each 20 ms packet (TOC included): 80 ≈ 32 kbit/s. */
  packetBytes?: number;
}

export function oggOpusVoice(options: OggOpusOptions): Uint8Array {
  const serial = 0x5eed;
  const head = new Uint8Array(19);
  head.set(ascii('OpusHead'), 0);
  head[8] = 1; // version
  head[9] = 1; // channels
  head[10] = OPUS_PRE_SKIP & 0xff;
  head[11] = OPUS_PRE_SKIP >> 8;
  new DataView(head.buffer).setUint32(12, 48_000, true);
  const vendor = ascii('aiport-test');
  const comment = new TextEncoder().encode(`SPOKEN=${options.spoken}`);
  const tags = new Uint8Array(8 + 4 + vendor.length + 4 + 4 + comment.length);
  const tagsView = new DataView(tags.buffer);
  tags.set(ascii('OpusTags'), 0);
  tagsView.setUint32(8, vendor.length, true);
  tags.set(vendor, 12);
  tagsView.setUint32(12 + vendor.length, 1, true);
  tagsView.setUint32(16 + vendor.length, comment.length, true);
  tags.set(comment, 20 + vendor.length);

  const pages: Uint8Array[] = [page(serial, 0, 0, 0x02, [head]), page(serial, 1, 0, 0, [tags])];
  const packets = Math.round(options.seconds * 50);
  const size = options.packetBytes ?? 80;
  let sequence = 2;
  let granule = OPUS_PRE_SKIP;
  for (let start = 0; start < packets; start += 50) {
    const batch: Uint8Array[] = [];
    for (let i = start; i < Math.min(packets, start + 50); i++) {
      const packet = new Uint8Array(size);
      packet[0] = 9 << 3; // SILK wideband, 20 ms, one frame
      for (let j = 1; j < size; j++) packet[j] = (i * 31 + j * 7) & 0xff;
      batch.push(packet);
      granule += 960;
    }
    const last = start + 50 >= packets;
    const stated =
      last && options.claimedSeconds !== undefined
        ? options.claimedSeconds * 48_000 + OPUS_PRE_SKIP
        : granule;
    pages.push(page(serial, sequence++, stated, last ? 0x04 : 0, batch));
  }
  return concat(pages);
}

export function wavSpeech(seconds: number): Uint8Array {
  const rate = 16_000;
  const data = rate * 2 * seconds;
  const out = new Uint8Array(44 + data);
  const view = new DataView(out.buffer);
  out.set(ascii('RIFF'), 0);
  view.setUint32(4, 36 + data, true);
  out.set(ascii('WAVEfmt '), 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  out.set(ascii('data'), 36);
  view.setUint32(40, data, true);
  return out;
}

function page(
  serial: number,
  sequence: number,
  granule: number,
  flags: number,
  packets: Uint8Array[],
): Uint8Array {
  const lacing: number[] = [];
  for (const packet of packets) {
    let left = packet.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    lacing.push(left);
  }
  const body = concat(packets);
  const out = new Uint8Array(27 + lacing.length + body.length);
  const view = new DataView(out.buffer);
  out.set(ascii('OggS'), 0);
  out[5] = flags;
  view.setBigUint64(6, BigInt(granule), true);
  view.setUint32(14, serial, true);
  view.setUint32(18, sequence, true);
  out[26] = lacing.length;
  out.set(lacing, 27);
  out.set(body, 27 + lacing.length);
  view.setUint32(22, oggCrc(out), true);
  return out;
}

/** Ogg's CRC-32: polynomial 0x04c11db7, no reflection, initial 0, over the page with the CRC zeroed. */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
