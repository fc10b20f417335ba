// What a variant's viewer saw, from its probe's per-frame records, between time 0 and the end of
// the play: unique source frames, stalls, SSIM/PSNR, and end-to-end delay. The delay is the
// probe's own (decoded minus the server's clock for the frame, from the RTCP sender reports) where
// the client gives it (rtspsrc), and is checked against the server's `frame` records: the stamp
// says which source frame a picture shows, the record of that frame says when the server sent it,
// on the same clock. FFmpeg gives no sender-report time: its delay is the stamp's. When the server
// serves a camera, the sends are the camera's own record and always give the delay (the sender
// reports would start it at the helper). Pure.
import { percentile } from '../../src/metrics/percentile.ts';
import { round } from '../../src/metrics/round.ts';
import type { FrameRecord } from '../../src/probe/probe.ts';
import { stalledSeconds, StallDetector } from '../../src/probe/stalls.ts';
import { ProbeTally } from '../../src/probe/summary.ts';
import type { SentFrame } from './server-metrics.ts';

export interface ClipTiming {
  /** Frames in one loop of the clip. */
  frames: number;
  frameMs: number;
}

export interface ViewerFigures {
  frames_unique_pct: number | null;
  /** null where the viewer's pictures are not read (a browser). */
  frames_repeated: number | null;
  frames_skipped: number | null;
  e2e_delay_p50_ms: number | null;
  e2e_delay_p95_ms: number | null;
  /** Where the delay comes from: the probe's sender-report clock, the server's frame records, or
   *  the camera's record of its sends. */
  e2e_from: E2eSource | null;
  /** Median of (sender-report delay − stamp delay) over the frames that have both: how far the
   *  RTCP mapping is from the server's own record of the send (with a camera: the time from the
   *  camera's send to the server's, taken off the sender-report delay). */
  e2e_check_ms: number | null;
  stall_count: number;
  stall_s: number;
  ssim_mean: number | null;
  psnr_mean_db: number | null;
}

export type E2eSource = 'sender reports' | 'server frame records' | 'camera send records';

/** A decoded frame on the bench's timeline, for the charts. */
export interface ViewerPoint {
  atMs: number;
  e2eMs?: number;
  ssim?: number;
}

const orNull = (value: number | null, digits: number): number | null => (value === null ? null : round(value, digits));

/** Each sent frame's stamp: its place in its file, in frames (the stamp is the frame's number). */
export function sentStamps(sent: readonly SentFrame[], clip: ClipTiming): (number | undefined)[] {
  return sent.map((frame) =>
    frame.fileMs === undefined ? undefined : Math.round(frame.fileMs / clip.frameMs) % clip.frames,
  );
}

/** The delay of each stamped picture from the server's record of sending that source frame: the
 *  latest sent frame with its stamp at or before the picture's decoding, within one loop. */
export function stampDelaysMs(
  frames: readonly FrameRecord[],
  sent: readonly SentFrame[],
  clip: ClipTiming,
): (number | undefined)[] {
  const stamps = sentStamps(sent, clip);
  let next = 0;
  return frames.map((frame) => {
    while (next < sent.length && sent[next]!.atMs <= frame.decoded_unix_ms) next += 1;
    if (frame.stamp === undefined || frame.stamp_inferred) return undefined;
    for (let i = next - 1; i >= 0 && i >= next - 2 * clip.frames; i -= 1) {
      if (stamps[i] === frame.stamp) return frame.decoded_unix_ms - sent[i]!.atMs;
    }
    return undefined;
  });
}

function e2eSource(sentBy: 'server' | 'camera', fromReports: boolean): E2eSource {
  if (sentBy === 'camera') return 'camera send records';
  return fromReports ? 'sender reports' : 'server frame records';
}

export function viewerFigures(
  allFrames: readonly FrameRecord[],
  sent: readonly SentFrame[],
  clip: ClipTiming,
  startMs: number,
  endMs: number,
  sentBy: 'server' | 'camera' = 'server',
): { figures: ViewerFigures; points: ViewerPoint[] } {
  const inPlay = (frame: FrameRecord) => frame.decoded_unix_ms >= startMs && frame.decoded_unix_ms < endMs;
  const stampDelays = stampDelaysMs(allFrames, sent, clip);
  const frames = allFrames.filter(inPlay);
  const delays = stampDelays.filter((_, i) => inPlay(allFrames[i]!));
  const fromReports = sentBy === 'server' && frames.some((frame) => frame.e2e_ms !== undefined);
  const e2e = frames.map((frame, i) => (fromReports ? frame.e2e_ms : delays[i]));
  const checks = frames.flatMap((frame, i) =>
    frame.e2e_ms !== undefined && delays[i] !== undefined ? [frame.e2e_ms - delays[i]] : [],
  );

  const sources = frames.flatMap((frame) => (frame.source !== undefined ? [frame.source] : []));
  const unique = new Set(sources).size;
  const produced = sources.length > 0 ? Math.max(...sources) - Math.min(...sources) + 1 : 0;
  const stalls = new StallDetector(startMs);
  for (const frame of frames) if (!frame.repeated) stalls.frameShown(frame.decoded_unix_ms);
  stalls.end(endMs);
  const tally = new ProbeTally();
  frames.forEach((frame, i) =>
    tally.add({
      ...(e2e[i] !== undefined ? { e2eMs: e2e[i] } : {}),
      ...(frame.ssim !== undefined ? { ssim: frame.ssim, psnrDb: frame.psnr_db! } : {}),
    }),
  );
  const delay = tally.delays();
  const quality = tally.quality();

  return {
    figures: {
      frames_unique_pct: produced > 0 ? round((100 * unique) / produced, 2) : null,
      frames_repeated: frames.filter((frame) => frame.repeated).length,
      frames_skipped: produced - unique,
      e2e_delay_p50_ms: delay.e2e_delay_p50_ms,
      e2e_delay_p95_ms: delay.e2e_delay_p95_ms,
      e2e_from: delay.e2e_frames === 0 ? null : e2eSource(sentBy, fromReports),
      e2e_check_ms: orNull(percentile(checks, 50), 2),
      stall_count: stalls.stalls.length,
      stall_s: stalledSeconds(stalls.stalls),
      ssim_mean: quality.ssim_mean,
      psnr_mean_db: quality.psnr_mean_db,
    },
    points: frames.map((frame, i) => ({
      atMs: frame.decoded_unix_ms,
      ...(e2e[i] !== undefined ? { e2eMs: e2e[i] } : {}),
      ...(frame.ssim !== undefined ? { ssim: frame.ssim } : {}),
    })),
  };
}
