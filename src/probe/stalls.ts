// Stalls: W3C webrtc-stats' freeze (RTCInboundRtpStreamStats.freezeCount, libwebrtc's
// definition): the time between two consecutive new frames is at least
// max(3 × avg, avg + 150 ms), avg being the mean of the last 30 such intervals. At 30 fps that is
// 183 ms. A gap still open when the probe ends counts too: a stream that stops is a stall, and a
// run without a single frame is one stall from start to end. Pure.
const AVERAGE_OVER = 30;
const MIN_INCREASE_MS = 150;
const FACTOR = 3;

export interface Stall {
  /** When the last frame before the gap was shown, ms (the caller's clock). */
  fromMs: number;
  durationMs: number;
  /** Still open when the probe ended. */
  open: boolean;
}

/** Their total length, s, to the ms. */
export function stalledSeconds(stalls: readonly Stall[]): number {
  return Math.round(stalls.reduce((sum, stall) => sum + stall.durationMs, 0)) / 1000;
}

export function stallThresholdMs(averageMs: number): number {
  return Math.max(FACTOR * averageMs, averageMs + MIN_INCREASE_MS);
}

export class StallDetector {
  private lastMs: number | undefined;
  private readonly intervals: number[] = [];
  readonly stalls: Stall[] = [];

  /** @param startedMs when the probe started: the gap to the first frame is startup, not a stall,
   *  unless no frame ever comes. */
  constructor(private readonly startedMs: number) {}

  private average(): number | undefined {
    if (this.intervals.length === 0) return undefined;
    return this.intervals.reduce((sum, value) => sum + value, 0) / this.intervals.length;
  }

  /** A new frame (not a repeat) was shown at `atMs`; the stall it ends, if any. */
  frameShown(atMs: number): Stall | undefined {
    let stall: Stall | undefined;
    if (this.lastMs !== undefined) {
      const interval = atMs - this.lastMs;
      const average = this.average();
      if (average !== undefined && interval >= stallThresholdMs(average)) {
        stall = { fromMs: this.lastMs, durationMs: interval, open: false };
        this.stalls.push(stall);
      }
      this.intervals.push(interval);
      if (this.intervals.length > AVERAGE_OVER) this.intervals.shift();
    }
    this.lastMs = atMs;
    return stall;
  }

  /** The probe ends at `atMs`: a gap since the last new frame that is already a stall counts;
   *  with one frame only, there is no mean gap yet and the threshold is its least, 150 ms. */
  end(atMs: number): void {
    if (this.lastMs === undefined) {
      this.stalls.push({ fromMs: this.startedMs, durationMs: atMs - this.startedMs, open: true });
      return;
    }
    const gap = atMs - this.lastMs;
    if (gap >= stallThresholdMs(this.average() ?? 0))
      this.stalls.push({ fromMs: this.lastMs, durationMs: gap, open: true });
  }
}
