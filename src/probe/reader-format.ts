// The native reader's frame records (native/probe/probe-reader.c): a 40-byte little-endian header,
// then the luma plane. Parsed here, once, into DecodedFrame.
import { ByteQueue, FrameFormatError, type DecodedFrame, type FrameParser } from './decoded-frame.ts';

const HEADER_BYTES = 40;
const MAGIC = 0x46524241; // "ABRF"
const FLAG_SERVER_TIME = 1;
/** Larger than any picture a stream of this project (or a 8K camera) carries. */
const MAX_SIDE = 8192;

export class ReaderFrameParser implements FrameParser {
  private readonly queue = new ByteQueue();
  private header: Buffer | undefined;

  push(chunk: Buffer): DecodedFrame[] {
    this.queue.push(chunk);
    const frames: DecodedFrame[] = [];
    for (;;) {
      this.header ??= this.queue.take(HEADER_BYTES);
      if (this.header === undefined) return frames;
      const header = this.header;
      const magic = header.readUInt32LE(0);
      const width = header.readUInt32LE(4);
      const height = header.readUInt32LE(8);
      if (magic !== MAGIC)
        throw new FrameFormatError(`probe-reader: frame record starts with 0x${magic.toString(16)}, not "ABRF"`);
      if (width === 0 || height === 0 || width > MAX_SIDE || height > MAX_SIDE)
        throw new FrameFormatError(`probe-reader: a ${width}x${height} picture`);
      const luma = this.queue.take(width * height);
      if (luma === undefined) return frames;
      this.header = undefined;
      const flags = header.readUInt32LE(12);
      const ptsNs = header.readBigInt64LE(32);
      frames.push({
        width,
        height,
        luma: new Uint8Array(luma.buffer, luma.byteOffset, luma.length),
        decodedMs: Number(header.readBigInt64LE(16)) / 1000,
        ...((flags & FLAG_SERVER_TIME) !== 0 ? { serverMs: Number(header.readBigInt64LE(24)) / 1000 } : {}),
        ...(ptsNs >= 0n ? { ptsMs: Number(ptsNs) / 1e6 } : {}),
      });
    }
  }
}
