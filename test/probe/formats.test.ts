import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameFormatError } from '../../src/probe/decoded-frame.ts';
import { ReaderFrameParser } from '../../src/probe/reader-format.ts';
import { Y4mFrameParser } from '../../src/probe/y4m-format.ts';

function readerRecord(
  width: number,
  height: number,
  flags: number,
  decodedUs: bigint,
  serverUs: bigint,
  ptsNs: bigint,
  fill: number,
): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(0x46524241, 0);
  header.writeUInt32LE(width, 4);
  header.writeUInt32LE(height, 8);
  header.writeUInt32LE(flags, 12);
  header.writeBigInt64LE(decodedUs, 16);
  header.writeBigInt64LE(serverUs, 24);
  header.writeBigInt64LE(ptsNs, 32);
  return Buffer.concat([header, Buffer.alloc(width * height, fill)]);
}

describe('probe-reader frame records', () => {
  it('parses records split anywhere across chunks', () => {
    const bytes = Buffer.concat([
      readerRecord(8, 4, 1, 1_000_500n, 1_000_000n, 33_000_000n, 7),
      readerRecord(8, 4, 0, 2_000_000n, -1n, -1n, 9),
    ]);
    const parser = new ReaderFrameParser();
    const frames = [...bytes].flatMap((_, i) => parser.push(bytes.subarray(i, i + 1)));
    assert.equal(frames.length, 2);
    assert.deepEqual(
      { ...frames[0]!, luma: frames[0]!.luma[0] },
      { width: 8, height: 4, luma: 7, decodedMs: 1000.5, serverMs: 1000, ptsMs: 33 },
    );
    assert.deepEqual(
      { ...frames[1]!, luma: frames[1]!.luma.length },
      { width: 8, height: 4, luma: 32, decodedMs: 2000 },
    );
  });

  it('rejects a record that is not one', () => {
    const bad = readerRecord(8, 4, 0, 0n, 0n, 0n, 0);
    bad.write('JUNK', 0);
    assert.throws(() => new ReaderFrameParser().push(bad), FrameFormatError);
    assert.throws(() => new ReaderFrameParser().push(readerRecord(0, 4, 0, 0n, 0n, 0n, 0)), /0x4 picture/);
  });
});

describe('YUV4MPEG2 (FFmpeg) frames', () => {
  it('parses the header and frames, stamped with the arrival of their last byte', () => {
    const bytes = Buffer.concat([
      Buffer.from('YUV4MPEG2 W4 H2 F30:1 Ip A1:1 Cmono XCOLORRANGE=LIMITED\nFRAME\n'),
      Buffer.alloc(8, 1),
      Buffer.from('FRAME\n'),
      Buffer.alloc(8, 2),
    ]);
    const parser = new Y4mFrameParser();
    const first = parser.push(bytes.subarray(0, 70), 5);
    const rest = parser.push(bytes.subarray(70), 9);
    assert.deepEqual(
      [...first, ...rest].map((frame) => [frame.width, frame.height, frame.luma[0], frame.decodedMs]),
      [
        [4, 2, 1, 5],
        [4, 2, 2, 9],
      ],
    );
  });

  it('rejects colour output and a missing FRAME line', () => {
    assert.throws(() => new Y4mFrameParser().push(Buffer.from('YUV4MPEG2 W4 H2 C420jpeg\n'), 0), /mono/);
    assert.throws(() => new Y4mFrameParser().push(Buffer.from('YUV4MPEG2 W4 H2 Cmono\nFROME\n'), 0), /expected FRAME/);
  });
});
