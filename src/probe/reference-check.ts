// Whether a --reference clip is the one the stream shows: frame n of a stamped clip carries stamp
// n (docs/test-video.md), and the stream's stamps never pass the clip's frame count. Scored
// against another clip, SSIM and PSNR are numbers about nothing: the probe says so instead.
import { readStamp } from '../stamp/stamp-code.ts';
import type { LumaPlane } from './quality.ts';

const SAMPLES = 24;
/** x264 at a low bitrate may garble a stamp now and then; a wrong clip misses most. */
const MIN_OWN_STAMPS = 0.8;

/** Why the clip's own frames do not read as their numbers, or undefined when they do. */
export function referenceStampProblem(frames: readonly LumaPlane[]): string | undefined {
  if (frames.length === 0) return 'it has no frames';
  const sampled = Array.from(
    new Set(Array.from({ length: SAMPLES }, (_, k) => Math.round((k * (frames.length - 1)) / (SAMPLES - 1)))),
  );
  const own = sampled.filter((index) => {
    const frame = frames[index]!;
    return readStamp(frame.luma, frame.width, frame.height) === index % 2 ** 16;
  }).length;
  if (own >= MIN_OWN_STAMPS * sampled.length) return undefined;
  return `its frames do not carry their own numbers (${own} of ${sampled.length} sampled do): not a stamped clip of npm run test-video`;
}

/** Why a stamp the stream showed cannot be the reference's, or undefined when it can. */
export function streamStampProblem(stamp: number, referenceFrames: number): string | undefined {
  return stamp < referenceFrames
    ? undefined
    : `the stream shows frame ${stamp}, the reference has ${referenceFrames} frames: it is not the clip the server serves`;
}
