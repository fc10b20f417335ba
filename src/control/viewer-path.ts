// One viewer's path, as the server can see it, and the rate it can take. Its richest signal
// drives it (src/feedback/signal.ts): a TCP viewer's send queue, else TWCC feedback, else
// receiver reports. Each signal gives a verdict (overuse, clean, or in between) that moves this
// viewer's own rate: down below the capacity it shows, up by probing.
import type { Assessment, SignalName, Step } from './assessment.ts';
import type { Observation } from './observations.ts';
import { QueueSignal } from './queue-signal.ts';
import { decreasedRate, probedRate } from './rate-rules.ts';
import { ReportSignal } from './report-signal.ts';
import type { SentHistory } from './sent-history.ts';
import { SIGNAL_STALE_MS } from '../feedback/signal.ts';
import { DECREASE_COOLDOWN_MS, FRESH_SIGNAL_MS, MAX_DRAIN_S, MAX_STEP_UP } from './tuning.ts';
import { TwccSignal } from './twcc-signal.ts';

export interface Bounds {
  minKbps: number;
  maxKbps: number;
}

/** The signals in the order they are preferred. Over TCP the send queue is the server's own
 *  measure of what the viewer took, exact and never late; TWCC feedback and reports travel
 *  behind the stream on the same connection and stall with it when a segment is lost. */
const RICHNESS: readonly SignalName[] = ['queue', 'twcc', 'report'];

export class ViewerPath {
  readonly viewer: string;
  /** This viewer's rate; undefined until its first signal (a viewer with no signal yet holds). */
  rateKbps: number | undefined;
  readonly #report = new ReportSignal();
  readonly #queue = new QueueSignal();
  readonly #twcc = new TwccSignal();
  readonly #lastMs: Partial<Record<SignalName, number>> = {};
  #lastGoodKbps: number | undefined;
  #lastDecreaseMs: number | undefined;

  constructor(viewer: string) {
    this.viewer = viewer;
  }

  /**
   * The step one observation of this viewer makes. A TCP viewer's send queue alone steers it.
   * Otherwise, while a richer signal is fresh, a poorer one only counts when it shows an overuse
   * (any evidence of one is): undefined otherwise.
   */
  observe(
    observation: Exclude<Observation, { kind: 'left' | 'sent' }>,
    targetKbps: number,
    sent: SentHistory,
    bounds: Bounds,
  ): Step | undefined {
    const signal: SignalName = observation.kind;
    if (signal !== 'queue' && this.#lastMs.queue !== undefined) return undefined;
    const superseded = this.#superseded(signal, observation.tMs);
    const previousMs = this.#lastMs[signal];
    this.#lastMs[signal] = observation.tMs;
    const assessment = this.#assess(observation, targetKbps, sent);
    if (superseded && !assessment?.overuse) return undefined;
    if (assessment === undefined) return { reason: 'hold' };
    const elapsedMs = previousMs === undefined ? 0 : observation.tMs - previousMs;
    const step = this.#move(observation.tMs, targetKbps, sent, signal, elapsedMs, assessment);
    // Within the bounds here too, not only in the target: probing starts from the floor, never
    // from an estimate below it.
    this.rateKbps = Math.min(bounds.maxKbps, Math.max(bounds.minKbps, this.rateKbps!));
    return step;
  }

  #assess(
    observation: Exclude<Observation, { kind: 'left' | 'sent' }>,
    targetKbps: number,
    sent: SentHistory,
  ): Assessment | undefined {
    switch (observation.kind) {
      case 'report':
        return this.#report.assess(observation, targetKbps, sent);
      case 'queue':
        return this.#queue.assess(observation, sent);
      case 'twcc':
        return this.#twcc.assess(observation, sent, this.#lastDecreaseMs);
    }
  }

  /** A richer signal came lately: it speaks for this path. */
  #superseded(signal: SignalName, tMs: number): boolean {
    return RICHNESS.slice(0, RICHNESS.indexOf(signal)).some((richer) => {
      const lastMs = this.#lastMs[richer];
      return lastMs !== undefined && tMs - lastMs <= SIGNAL_STALE_MS;
    });
  }

  #move(
    tMs: number,
    targetKbps: number,
    sent: SentHistory,
    signal: SignalName,
    elapsedMs: number,
    assessment: Assessment,
  ): Step {
    // A viewer's rate never leads what is sent by more than one step: beyond it there is no evidence.
    const current = Math.min(this.rateKbps ?? targetKbps, targetKbps * MAX_STEP_UP);
    if (assessment.overuse && assessment.capacityKbps !== undefined) {
      const capacityKbps = assessment.capacityKbps;
      this.#lastGoodKbps = capacityKbps;
      // Already below what the path delivers, with the queue gone within MAX_DRAIN_S: it is
      // draining, and cutting again would overshoot. Too soon after a cut, its effect has not
      // shown yet.
      const drainS =
        current < capacityKbps
          ? (((assessment.queueMs ?? 0) / 1000) * capacityKbps) / (capacityKbps - current)
          : Infinity;
      const cooling = this.#lastDecreaseMs !== undefined && tMs - this.#lastDecreaseMs < DECREASE_COOLDOWN_MS[signal];
      if (drainS <= MAX_DRAIN_S || cooling) {
        this.rateKbps = current;
        return { reason: 'draining', ...assessment.figures };
      }
      this.rateKbps = Math.min(current, decreasedRate(capacityKbps, assessment.queueMs));
      this.#lastDecreaseMs = tMs;
      return { reason: assessment.overuseReason, ...assessment.figures };
    }
    if (assessment.clean) {
      // Clean at what the mount sends: this viewer is not the one holding the target down.
      this.rateKbps = probedRate({
        currentKbps: Math.max(current, targetKbps),
        lastGoodKbps: this.#lastGoodKbps,
        elapsedS: elapsedMs / 1000,
        sentKbps: sent.latest(),
        signal,
        fresh: elapsedMs > 0 && elapsedMs <= FRESH_SIGNAL_MS,
      });
      return { reason: 'probe', ...assessment.figures };
    }
    this.rateKbps = current;
    return { reason: 'hold', ...assessment.figures };
  }
}
