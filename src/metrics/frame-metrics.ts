// Per-stream frame figures from the helper's `frame` records (docs/metrics.md): pipeline
// latency, delivery interval, send jitter, cumulative frames, and one-second windows of fps and
// sent bitrate. Memory is bounded: percentiles come from histograms.
import { Histogram } from './histogram.ts';
import { SendJitter } from './send-jitter.ts';

export interface FrameObservation {
  ptsUs: number;
  /** Monotonic µs when the raw frame entered the encoder. */
  inUs: number;
  /** Monotonic µs when its last RTP packet left the payloader. */
  outUs: number;
  bytes: number;
  key: boolean;
}

export interface FrameMetric {
  latencyMs: number;
  /** Since the previous frame left; undefined for the first frame of a media. */
  intervalMs: number | undefined;
  jitterMs: number;
  framesTotal: number;
}

export interface FrameSummary {
  frames: number;
  latencyMs: Quantiles;
  jitterMs: Quantiles;
  intervalMs: Quantiles;
}

export interface Quantiles {
  mean: number | undefined;
  p50: number | undefined;
  p95: number | undefined;
}

export function quantilesOf(histogram: Histogram): Quantiles {
  return { mean: histogram.mean(), p50: histogram.quantile(0.5), p95: histogram.quantile(0.95) };
}

export class FrameMetrics {
  readonly #nominalPeriodMs: () => number | undefined;
  readonly #jitter = new SendJitter();
  readonly #latency = new Histogram();
  readonly #jitters = new Histogram();
  readonly #intervals = new Histogram();
  #lastOutUs: number | undefined;
  #framesTotal = 0;

  /** `nominalPeriodMs` is 1000 / fps of the running media, when known. */
  constructor(nominalPeriodMs: () => number | undefined) {
    this.#nominalPeriodMs = nominalPeriodMs;
  }

  /** A new media (first viewer after none, or a restarted helper): intervals start over. */
  resetTiming(): void {
    this.#lastOutUs = undefined;
  }

  add(frame: FrameObservation): FrameMetric {
    const latencyMs = (frame.outUs - frame.inUs) / 1000;
    const intervalMs = this.#lastOutUs === undefined ? undefined : (frame.outUs - this.#lastOutUs) / 1000;
    this.#lastOutUs = frame.outUs;
    this.#framesTotal += 1;
    this.#latency.add(latencyMs);
    const period = this.#nominalPeriodMs();
    if (intervalMs !== undefined) {
      this.#intervals.add(intervalMs);
      if (period !== undefined) this.#jitters.add(this.#jitter.update(intervalMs, period));
    }
    return { latencyMs, intervalMs, jitterMs: this.#jitter.valueMs, framesTotal: this.#framesTotal };
  }

  get framesTotal(): number {
    return this.#framesTotal;
  }

  summary(): FrameSummary {
    return {
      frames: this.#framesTotal,
      latencyMs: quantilesOf(this.#latency),
      jitterMs: quantilesOf(this.#jitters),
      intervalMs: quantilesOf(this.#intervals),
    };
  }
}
