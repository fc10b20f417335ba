// GCC's delay-gradient estimator (draft-ietf-rmcat-gcc-02 §5, as libwebrtc's
// trendline_estimator.cc implements it): per packet group (a frame), how much longer it took to
// arrive than to send after the previous one; the accumulated, smoothed delay's slope over the
// last groups, scaled, against a threshold that adapts to the path's noise. A slope above it for
// a while is a queue building up (overusing), below its negative a queue draining (underusing).
export type BandwidthUsage = 'normal' | 'overusing' | 'underusing';

/** Groups in the linear regression, and the smoothing of the accumulated delay (libwebrtc's values). */
const WINDOW = 20;
const SMOOTHING = 0.9;
/** The slope is scaled by min(deltas, 60) × 4 before it meets the threshold. */
const MIN_DELTAS = 60;
const THRESHOLD_GAIN = 4;
/** The threshold starts here (ms) and adapts within these bounds: up fast to spikes it can
 *  follow, down slowly; a jump of more than 15 ms over it (a capacity drop) does not move it. */
const INITIAL_THRESHOLD = 12.5;
const MIN_THRESHOLD = 6;
const MAX_THRESHOLD = 600;
const K_UP = 0.0087;
const K_DOWN = 0.039;
const MAX_ADAPT_OFFSET = 15;
const MAX_ADAPT_STEP_MS = 100;
/** Over the threshold for this long (and twice running) with a rising slope: overusing. */
const OVERUSING_TIME_MS = 10;
const MAX_DELTAS = 1000;

interface Point {
  x: number;
  y: number;
}

export class TrendlineEstimator {
  readonly #history: Point[] = [];
  #firstArrivalMs: number | undefined;
  #deltas = 0;
  #accumulated = 0;
  #smoothed = 0;
  #previousTrend = 0;
  #threshold = INITIAL_THRESHOLD;
  #thresholdAtMs: number | undefined;
  #overusingMs = -1;
  #overuseCount = 0;
  #usage: BandwidthUsage = 'normal';
  #modifiedTrend = 0;

  get usage(): BandwidthUsage {
    return this.#usage;
  }

  /** The scaled slope (ms) and the threshold it is compared with, for the records. */
  get modifiedTrend(): number {
    return this.#modifiedTrend;
  }

  get threshold(): number {
    return this.#threshold;
  }

  /** One group after the previous: arrival and send deltas (ms), its arrival time (viewer's clock, ms). */
  update(arrivalDeltaMs: number, sendDeltaMs: number, arrivalMs: number): BandwidthUsage {
    this.#deltas = Math.min(this.#deltas + 1, MAX_DELTAS);
    this.#firstArrivalMs ??= arrivalMs;
    this.#accumulated += arrivalDeltaMs - sendDeltaMs;
    this.#smoothed = SMOOTHING * this.#smoothed + (1 - SMOOTHING) * this.#accumulated;
    this.#history.push({ x: arrivalMs - this.#firstArrivalMs, y: this.#smoothed });
    if (this.#history.length > WINDOW) this.#history.shift();
    let trend = this.#previousTrend;
    if (this.#history.length === WINDOW) trend = slope(this.#history) ?? trend;
    this.#detect(trend, sendDeltaMs, arrivalMs);
    return this.#usage;
  }

  #detect(trend: number, sendDeltaMs: number, nowMs: number): void {
    if (this.#deltas < 2) {
      this.#usage = 'normal';
      return;
    }
    const modified = Math.min(this.#deltas, MIN_DELTAS) * trend * THRESHOLD_GAIN;
    this.#modifiedTrend = modified;
    if (modified > this.#threshold) {
      this.#overusingMs = this.#overusingMs === -1 ? sendDeltaMs / 2 : this.#overusingMs + sendDeltaMs;
      this.#overuseCount += 1;
      if (this.#overusingMs > OVERUSING_TIME_MS && this.#overuseCount > 1 && trend >= this.#previousTrend) {
        this.#overusingMs = 0;
        this.#overuseCount = 0;
        this.#usage = 'overusing';
      }
    } else {
      this.#overusingMs = -1;
      this.#overuseCount = 0;
      this.#usage = modified < -this.#threshold ? 'underusing' : 'normal';
    }
    this.#previousTrend = trend;
    this.#adaptThreshold(modified, nowMs);
  }

  #adaptThreshold(modified: number, nowMs: number): void {
    const lastMs = this.#thresholdAtMs ?? nowMs;
    this.#thresholdAtMs = nowMs;
    if (Math.abs(modified) > this.#threshold + MAX_ADAPT_OFFSET) return;
    const k = Math.abs(modified) < this.#threshold ? K_DOWN : K_UP;
    const stepMs = Math.min(Math.max(nowMs - lastMs, 0), MAX_ADAPT_STEP_MS);
    this.#threshold += k * (Math.abs(modified) - this.#threshold) * stepMs;
    this.#threshold = Math.min(MAX_THRESHOLD, Math.max(MIN_THRESHOLD, this.#threshold));
  }
}

/** Least-squares slope of y over x; undefined when every x is the same. */
export function slope(points: readonly Point[]): number | undefined {
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let numerator = 0;
  let denominator = 0;
  for (const p of points) {
    numerator += (p.x - meanX) * (p.y - meanY);
    denominator += (p.x - meanX) ** 2;
  }
  return denominator === 0 ? undefined : numerator / denominator;
}
