// Per-stream frame figures from the helper's `frame` records (docs/metrics.md): pipeline
// latency, delivery interval, send jitter and cumulative frames, over all the stream's encoders;
// intervals and jitter are timed per encoder (each sends every frame). Memory is bounded:
// percentiles come from histograms.
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

/** One encoder's delivery timing. */
interface EncoderTiming {
  lastOutUs: number | undefined;
  jitter: SendJitter;
}

export class FrameMetrics {
  readonly #nominalPeriodMs: (encoder: number) => number | undefined;
  readonly #timing = new Map<number, EncoderTiming>();
  readonly #latency = new Histogram();
  readonly #jitters = new Histogram();
  readonly #intervals = new Histogram();
  #framesTotal = 0;

  /** `nominalPeriodMs` is 1000 / fps of an encoder's media, when known. */
  constructor(nominalPeriodMs: (encoder: number) => number | undefined) {
    this.#nominalPeriodMs = nominalPeriodMs;
  }

  /** An encoder's media ended (its viewers left, or the helper restarted): its timing goes. */
  forgetEncoder(encoder: number): void {
    this.#timing.delete(encoder);
  }

  add(frame: FrameObservation, encoder: number): FrameMetric {
    let timing = this.#timing.get(encoder);
    if (!timing) this.#timing.set(encoder, (timing = { lastOutUs: undefined, jitter: new SendJitter() }));
    const latencyMs = (frame.outUs - frame.inUs) / 1000;
    const intervalMs = timing.lastOutUs === undefined ? undefined : (frame.outUs - timing.lastOutUs) / 1000;
    timing.lastOutUs = frame.outUs;
    this.#framesTotal += 1;
    this.#latency.add(latencyMs);
    const period = this.#nominalPeriodMs(encoder);
    if (intervalMs !== undefined) {
      this.#intervals.add(intervalMs);
      if (period !== undefined) this.#jitters.add(timing.jitter.update(intervalMs, period));
    }
    return { latencyMs, intervalMs, jitterMs: timing.jitter.valueMs, framesTotal: this.#framesTotal };
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
