// `npm run test-video`: a clip for measuring what a viewer sees (docs/test-video.md). FFmpeg's
// testsrc2 (moving shapes, a gradient, a clock: content the encoder has to work for) with each
// frame's number stamped over its top band (stamp-code.ts), one drawbox per cell, switched on
// per frame by a timeline expression of the frame number `n`. Encoded near-losslessly (x264
// CRF 12), so the clip is the reference the probe compares decoded frames with.
import { execa } from 'execa';
import { BAND_FRACTION, CELLS, CHECK_BITS, DATA_BITS, cellBox } from './stamp-code.ts';

export interface TestVideoOptions {
  out: string;
  seconds: number;
  width: number;
  height: number;
  fps: number;
}

export class TestVideoError extends Error {
  override name = 'TestVideoError';
}

/** The frame number as FFmpeg's expressions see it, wrapped as the stamp wraps it. */
const NUMBER = `mod(n,${2 ** DATA_BITS})`;
/** checkOf() in FFmpeg's expression language. */
const CHECK = `mod(${[0, 4, 8, 12].map((shift) => `mod(floor(${NUMBER}/${2 ** shift}),16)`).join('+')}+5,16)`;

function bitExpression(cell: number): string {
  if (cell < DATA_BITS) return `mod(floor(${NUMBER}/${2 ** (DATA_BITS - 1 - cell)}),2)`;
  return `mod(floor(${CHECK}/${2 ** (CHECK_BITS - 1 - (cell - DATA_BITS))}),2)`;
}

/** The filter graph: source, black band, a white box per cell whose bit is 1. */
export function testVideoFilter({ seconds, width, height, fps }: TestVideoOptions): string {
  const band = Math.floor(height * BAND_FRACTION);
  const boxes = Array.from({ length: CELLS }, (_, cell) => {
    const box = cellBox(cell, width, height);
    return `drawbox=x=${box.x}:y=0:w=${box.width}:h=${box.height}:color=white:t=fill:enable='eq(${bitExpression(cell)},1)'`;
  });
  return [
    `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    'format=yuv420p',
    `drawbox=x=0:y=0:w=${width}:h=${band}:color=black:t=fill`,
    ...boxes,
  ].join(',');
}

export async function generateTestVideo(options: TestVideoOptions): Promise<void> {
  const result = await execa(
    'ffmpeg',
    [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      testVideoFilter(options),
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '12',
      '-pix_fmt',
      'yuv420p',
      '-g',
      String(options.fps),
      '-movflags',
      '+faststart',
      options.out,
    ],
    { reject: false },
  );
  if (result.exitCode !== 0) {
    throw new TestVideoError(
      `ffmpeg could not write ${options.out} (exit code ${result.exitCode}${result.signal ? `, ${result.signal}` : ''}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
}
