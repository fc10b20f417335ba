// What a probe's decoder hands over for each picture, whichever client decoded it.
import type { LumaPlane } from './quality.ts';

export interface DecodedFrame extends LumaPlane {
  /** Wall clock when the picture was decoded, ms since the Unix epoch. */
  decodedMs: number;
  /** The server's wall clock for this picture (RTCP sender reports' NTP<->RTP mapping), ms since
   *  the Unix epoch; undefined before the first sender report or when the client cannot tell. */
  serverMs?: number;
  /** Presentation time, ms; undefined when the client does not give it. */
  ptsMs?: number;
}

/** Bytes in, frames out: one per client's output format. */
export interface FrameParser {
  push(chunk: Buffer, arrivedMs: number): DecodedFrame[];
}

/** Raised when a client's output is not what its format says: the probe stops with it. */
export class FrameFormatError extends Error {
  override name = 'FrameFormatError';
}

/** Collects chunks until `size` bytes can be taken from the front; copies only when a take spans
 *  chunks (a picture arrives in pipe-sized pieces of 64 kB). */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  get available(): number {
    return this.length;
  }

  /** The first `size` bytes, removed; undefined when fewer are queued. */
  take(size: number): Buffer | undefined {
    if (size > this.length) return undefined;
    this.length -= size;
    const first = this.chunks[0]!;
    if (first.length >= size) {
      if (first.length === size) this.chunks.shift();
      else this.chunks[0] = first.subarray(size);
      return first.subarray(0, size);
    }
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, size - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }

  /** Index of `byte` in the queued bytes, or -1. */
  indexOf(byte: number): number {
    let offset = 0;
    for (const chunk of this.chunks) {
      const at = chunk.indexOf(byte);
      if (at >= 0) return offset + at;
      offset += chunk.length;
    }
    return -1;
  }
}
