// FFmpeg's output for the probe: YUV4MPEG2 (`-f yuv4mpegpipe -pix_fmt gray`), a text header with
// the size, then "FRAME" lines each followed by the luma plane. Stamped with the time its last
// byte arrived: FFmpeg gives no server clock, so e2e delay from sender reports is not available.
import { ByteQueue, FrameFormatError, type DecodedFrame, type FrameParser } from './decoded-frame.ts';

const NEWLINE = 0x0a;
const MAX_LINE = 1024;

export class Y4mFrameParser implements FrameParser {
  private readonly queue = new ByteQueue();
  private size: { width: number; height: number } | undefined;
  private inFrame = false;

  private line(): string | undefined {
    const end = this.queue.indexOf(NEWLINE);
    if (end < 0) {
      if (this.queue.available > MAX_LINE) throw new FrameFormatError('y4m: a header line longer than 1 kB');
      return undefined;
    }
    return this.queue
      .take(end + 1)!
      .toString('latin1')
      .trimEnd();
  }

  push(chunk: Buffer, arrivedMs: number): DecodedFrame[] {
    this.queue.push(chunk);
    const frames: DecodedFrame[] = [];
    for (;;) {
      if (this.size === undefined) {
        const header = this.line();
        if (header === undefined) return frames;
        this.size = parseStreamHeader(header);
      }
      if (!this.inFrame) {
        const line = this.line();
        if (line === undefined) return frames;
        if (!line.startsWith('FRAME'))
          throw new FrameFormatError(`y4m: expected FRAME, got ${JSON.stringify(line.slice(0, 40))}`);
        this.inFrame = true;
      }
      const { width, height } = this.size;
      const luma = this.queue.take(width * height);
      if (luma === undefined) return frames;
      this.inFrame = false;
      frames.push({
        width,
        height,
        luma: new Uint8Array(luma.buffer, luma.byteOffset, luma.length),
        decodedMs: arrivedMs,
      });
    }
  }
}

function parseStreamHeader(line: string): { width: number; height: number } {
  const fields = line.split(' ');
  if (fields[0] !== 'YUV4MPEG2') throw new FrameFormatError(`y4m: stream header ${JSON.stringify(line.slice(0, 40))}`);
  const value = (tag: string) => fields.find((field) => field.startsWith(tag))?.slice(1);
  const width = Number(value('W'));
  const height = Number(value('H'));
  const colour = value('C') ?? '420jpeg';
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0)
    throw new FrameFormatError(`y4m: no picture size in ${JSON.stringify(line)}`);
  if (colour !== 'mono')
    throw new FrameFormatError(`y4m: colour space ${colour}, the probe asks FFmpeg for mono (gray)`);
  return { width, height };
}
