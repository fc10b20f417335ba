// One viewer's path, as the server can see it: from its receiver reports (UDP: RTT over its
// base, loss since its previous report) or from the send queue towards it (TCP). Each signal
// gives a verdict (overuse, clean, or in between) and moves this viewer's own rate.
import type { Observation } from './observations.ts';
import { decreasedRate, probedRate, type ProbeInput } from './rate-rules.ts';
import type { SentHistory } from './sent-history.ts';
import {
  BURST_QUEUE_MS, DECREASE_COOLDOWN_MS, FIRST_REPORT_INTERVAL_MS, FULL_QUEUE_MS, LOSS_CLEAN, LOSS_OVERUSE, MAX_STEP_UP, QUEUE_CLEAN_MS, QUEUE_OVERUSE_MS, TCP_WINDOW_MS,
} from './tuning.ts';

export type StepReason = 'loss' | 'delay' | 'queue' | 'probe' | 'hold' | 'draining';

/** What one signal said, in the figures the controller records with its decision. */
export interface Step {
  reason: StepReason;
  rttMs?: number;
  queueMs?: number;
  loss?: number;
  capacityKbps?: number;
}

interface Assessment {
  overuse: boolean;
  overuseReason: 'loss' | 'delay' | 'queue';
  clean: boolean;
  capacityKbps: number | undefined;
  queueMs: number | undefined;
  figures: Omit<Step, 'reason'>;
}

export interface Bounds {
  minKbps: number;
  maxKbps: number;
}

type Report = Extract<Observation, { kind: 'report' }>;
type QueueSample = Extract<Observation, { kind: 'queue' }>;


export class ViewerPath {
  readonly viewer: string;
  /** This viewer's rate; undefined until its first signal (a viewer with no signal yet holds). */
  rateKbps: number | undefined;
  #lastGoodKbps: number | undefined;
  #lastSignalMs: number | undefined;
  #baseRttMs: number | undefined;
  #previousReport: Report | undefined;
  #previousQueueMs: number | undefined;
  #baseQueueMs: number | undefined;
  #queueSamples: { tMs: number; unsentBytes: number; queueMs: number }[] = [];
  #lastDecreaseMs: number | undefined;

  constructor(viewer: string) {
    this.viewer = viewer;
  }

  onReport(report: Report, targetKbps: number, sent: SentHistory, bounds: Bounds): Step {
    const previous = this.#previousReport;
    this.#previousReport = report;
    const loss = intervalLoss(report, previous);
    const lossy = loss >= LOSS_OVERUSE;
    // A report with heavy loss was measured behind a full queue: not a base.
    if (report.rttMs !== undefined && !lossy) this.#baseRttMs = Math.min(this.#baseRttMs ?? Infinity, report.rttMs);
    const queueMs = report.rttMs === undefined || this.#baseRttMs === undefined ? undefined : Math.max(0, report.rttMs - this.#baseRttMs);
    const intervalMs = previous ? report.tMs - previous.tMs : FIRST_REPORT_INTERVAL_MS;
    const sentKbps = sent.meanSince(report.tMs - intervalMs) ?? targetKbps;
    const previousQueueMs = this.#previousQueueMs;
    const growthMs = Math.max(0, (queueMs ?? 0) - (previousQueueMs ?? 0));
    this.#previousQueueMs = queueMs;
    // With losses, what arrived is the capacity; with delay alone, the queue grew by the excess.
    const capacityKbps = loss >= LOSS_CLEAN ? sentKbps * (1 - loss) : (sentKbps * intervalMs) / (intervalMs + growthMs);
    // One RTT sample may catch a key frame's burst in the queue (up to the encoder's rate-control
    // buffer); a standing queue shows in two reports running, or is deeper than any burst. The RTT
    // comes from our last sender report, which may be seconds old: a queue smaller than at the
    // previous report is draining already.
    const draining = previousQueueMs !== undefined && queueMs !== undefined && queueMs < previousQueueMs;
    // Losses with a queue are no burst either.
    const standing = queueMs !== undefined && !draining &&
      (queueMs >= BURST_QUEUE_MS || (queueMs >= QUEUE_OVERUSE_MS && loss >= LOSS_CLEAN) ||
        (previousQueueMs !== undefined && Math.min(queueMs, previousQueueMs) >= QUEUE_OVERUSE_MS));
    return this.#react(report.tMs, targetKbps, sent, bounds, 'report', {
      overuse: lossy || standing,
      overuseReason: lossy ? 'loss' : 'delay',
      clean: loss < LOSS_CLEAN && (queueMs ?? 0) < QUEUE_CLEAN_MS,
      capacityKbps,
      // A tail-drop queue that loses packets is full, whatever the RTT says (its base may have
      // been learnt behind that very queue).
      queueMs: lossy ? Math.max(queueMs ?? 0, FULL_QUEUE_MS) : queueMs,
      figures: { rttMs: report.rttMs, queueMs, loss, capacityKbps },
    });
  }

  onQueue(sample: QueueSample, targetKbps: number, sent: SentHistory, bounds: Bounds): Step {
    const sentKbps = sent.meanSince(sample.tMs - TCP_WINDOW_MS);
    // A media's first second is a burst (first frames, the socket's buffers growing) and nothing
    // says yet what was sent: no judgement before the first `stats` sample.
    if (sentKbps === undefined) return { reason: 'hold' };
    // Bytes waiting towards this viewer, in time at the rate we send: the delay a frame sent now gets.
    const delayMs = (sample.unsentBytes * 8) / sentKbps;
    this.#baseQueueMs = Math.min(this.#baseQueueMs ?? Infinity, delayMs);
    const queueMs = delayMs - this.#baseQueueMs;
    const samples = this.#queueSamples;
    samples.push({ tMs: sample.tMs, unsentBytes: sample.unsentBytes, queueMs });
    while (samples.length > 2 && samples[1]!.tMs <= sample.tMs - TCP_WINDOW_MS) samples.shift();
    // A key frame's burst fills the queue for a moment; a queue that never empties for a whole
    // window is standing: the path is slower than the stream (CoDel's test).
    const recent = samples.filter((s) => s.tMs > sample.tMs - TCP_WINDOW_MS);
    const standing = sample.tMs - samples[0]!.tMs >= TCP_WINDOW_MS && Math.min(...recent.map((s) => s.queueMs)) >= QUEUE_OVERUSE_MS;
    const oldest = samples[0]!;
    const spanMs = sample.tMs - oldest.tMs;
    // What left the queue: sent minus what it grew by (bytes × 8 / ms = kbit/s).
    const capacityKbps = spanMs > 0 ? Math.max(0, sentKbps - ((sample.unsentBytes - oldest.unsentBytes) * 8) / spanMs) : undefined;
    return this.#react(sample.tMs, targetKbps, sent, bounds, 'queue', {
      overuse: standing && capacityKbps !== undefined,
      overuseReason: 'queue',
      clean: queueMs < QUEUE_CLEAN_MS,
      capacityKbps,
      queueMs,
      figures: { queueMs, capacityKbps },
    });
  }

  #react(tMs: number, targetKbps: number, sent: SentHistory, bounds: Bounds, signal: ProbeInput['signal'], assessment: Assessment): Step {
    const step = this.#move(tMs, targetKbps, sent, signal, assessment);
    // Within the bounds here too, not only in the target: probing starts from the floor, never
    // from an estimate below it.
    this.rateKbps = Math.min(bounds.maxKbps, Math.max(bounds.minKbps, this.rateKbps!));
    return step;
  }

  #move(tMs: number, targetKbps: number, sent: SentHistory, signal: ProbeInput['signal'], assessment: Assessment): Step {
    // A viewer's rate never leads what is sent by more than one step: beyond it there is no evidence.
    const current = Math.min(this.rateKbps ?? targetKbps, targetKbps * MAX_STEP_UP);
    const elapsedS = this.#lastSignalMs === undefined ? 0 : (tMs - this.#lastSignalMs) / 1000;
    this.#lastSignalMs = tMs;
    if (assessment.overuse && assessment.capacityKbps !== undefined) {
      this.#lastGoodKbps = assessment.capacityKbps;
      // Already below what the path delivers, or too soon for a cut to show: the queue is
      // draining, and cutting again would overshoot.
      const cooling = this.#lastDecreaseMs !== undefined && tMs - this.#lastDecreaseMs < DECREASE_COOLDOWN_MS;
      if (current <= assessment.capacityKbps || cooling) {
        this.rateKbps = current;
        return { reason: 'draining', ...assessment.figures };
      }
      this.rateKbps = decreasedRate(assessment.capacityKbps, assessment.queueMs);
      this.#lastDecreaseMs = tMs;
      return { reason: assessment.overuseReason, ...assessment.figures };
    }
    if (assessment.clean) {
      // Clean at what the mount sends: this viewer is not the one holding the target down.
      this.rateKbps = probedRate({
        currentKbps: Math.max(current, targetKbps), lastGoodKbps: this.#lastGoodKbps, elapsedS, sentKbps: sent.latest(), signal,
      });
      return { reason: 'probe', ...assessment.figures };
    }
    this.rateKbps = current;
    return { reason: 'hold', ...assessment.figures };
  }
}

/** Loss since the previous report, from the cumulative counters (finer than the 8-bit fraction). */
function intervalLoss(report: Report, previous: Report | undefined): number {
  if (previous) {
    const expected = report.highestSeq - previous.highestSeq;
    if (expected > 0) return Math.min(1, Math.max(0, (report.packetsLost - previous.packetsLost) / expected));
  }
  return report.fractionLost;
}
