/**
 * The playing time of an audio file, measured the way a decoder would, so that a file's own
 * header cannot claim less audio than it holds:
 * - Ogg/Opus (Telegram voice notes, Discord voice messages): every audio packet's duration read from
 *   its TOC byte (RFC 6716 §3.1: frame size from the configuration, frame count from the code),
 *   summed, minus the stream's pre-skip (RFC 7845 §4.2). Granule positions are not trusted.
 * - WAV (PCM): the data chunk's bytes over the bytes per second of its format.
 * Anything else is not measured (undefined): the caller bounds it by its size instead.
 */

const OPUS_RATE = 48_000;

export function measureAudioSeconds(bytes: Uint8Array): number | undefined {
  if (startsWith(bytes, 'OggS', 0)) return oggOpusSeconds(bytes);
  if (startsWith(bytes, 'RIFF', 0) && startsWith(bytes, 'WAVE', 8)) return wavSeconds(bytes);
  return undefined;
}

function startsWith(bytes: Uint8Array, text: string, at: number): boolean {
  if (bytes.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The packets of an Ogg stream (one logical stream; pages of other streams are skipped). */
function* oggPackets(bytes: Uint8Array): Generator<Uint8Array> {
  let offset = 0;
  let serial: number | undefined;
  let pending: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  while (offset + 27 <= bytes.length && startsWith(bytes, 'OggS', offset)) {
    const pageSerial = view.getUint32(offset + 14, true);
    const segments = bytes[offset + 26]!;
    const table = offset + 27;
    let data = table + segments;
    if (data > bytes.length) return;
    serial ??= pageSerial;
    const ours = pageSerial === serial;
    for (let i = 0; i < segments; i++) {
      const size = bytes[table + i]!;
      if (data + size > bytes.length) return;
      if (ours) pending.push(bytes.subarray(data, data + size));
      data += size;
      if (ours && size < 255) {
        yield concat(pending);
        pending = [];
      }
    }
    offset = data;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Samples (at 48 kHz) one Opus packet decodes to; 0 for an empty or malformed one. */
export function opusPacketSamples(packet: Uint8Array): number {
  const toc = packet[0];
  if (toc === undefined) return 0;
  const config = toc >> 3;
  // SILK 10/20/40/60 ms, hybrid 10/20 ms, CELT 2.5/5/10/20 ms; in 48 kHz samples.
  const frame =
    config < 12
      ? [480, 960, 1920, 2880][config % 4]!
      : config < 16
        ? [480, 960][config % 2]!
        : [120, 240, 480, 960][config % 4]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code < 3 ? 2 : (packet[1] ?? 0) & 0x3f;
  return frame * frames;
}

function oggOpusSeconds(bytes: Uint8Array): number | undefined {
  let header: Uint8Array | undefined;
  let samples = 0;
  let index = 0;
  for (const packet of oggPackets(bytes)) {
    if (index === 0) {
      if (!startsWith(packet, 'OpusHead', 0) || packet.length < 19) return undefined;
      header = packet;
    } else if (index > 1) {
      samples += opusPacketSamples(packet);
    }
    index++;
  }
  if (!header) return undefined;
  const preSkip = header[10]! | (header[11]! << 8);
  return Math.max(0, samples - preSkip) / OPUS_RATE;
}

function wavSeconds(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let bytesPerSecond: number | undefined;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    if (startsWith(bytes, 'fmt ', offset) && offset + 24 <= bytes.length) {
      const channels = view.getUint16(offset + 10, true);
      const rate = view.getUint32(offset + 12, true);
      const bits = view.getUint16(offset + 22, true);
      bytesPerSecond = (rate * channels * bits) / 8;
    }
    if (startsWith(bytes, 'data', offset)) {
      if (!bytesPerSecond) return undefined;
      // A data chunk that claims more than the file holds is read as what is there.
      return Math.min(size, bytes.length - offset - 8) / bytesPerSecond;
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
