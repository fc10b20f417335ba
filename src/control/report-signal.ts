// A UDP viewer's receiver reports (checked: src/feedback/report-check.ts): its RTT over its base
// is the queue our last sender report met; its loss since the previous report comes from the
// cumulative counters. Sparse (every 5 s) for most clients, every ~100 ms for rtspsrc.
import type { Assessment } from './assessment.ts';
import type { Observation } from './observations.ts';
import type { SentHistory } from './sent-history.ts';
import {
  BURST_QUEUE_MS,
  FIRST_REPORT_INTERVAL_MS,
  FULL_QUEUE_MS,
  LOSS_CLEAN,
  LOSS_OVERUSE,
  QUEUE_CLEAN_MS,
  QUEUE_OVERUSE_MS,
} from './tuning.ts';

type Report = Extract<Observation, { kind: 'report' }>;

export class ReportSignal {
  #baseRttMs: number | undefined;
  #previousMs: number | undefined;
  #previousQueueMs: number | undefined;

  assess(report: Report, targetKbps: number, sent: SentHistory): Assessment {
    const { loss } = report;
    const lossy = loss !== undefined && loss >= LOSS_OVERUSE;
    // A report with heavy loss was measured behind a full queue: not a base.
    if (report.rttMs !== undefined && !lossy) this.#baseRttMs = Math.min(this.#baseRttMs ?? Infinity, report.rttMs);
    const queueMs =
      report.rttMs === undefined || this.#baseRttMs === undefined
        ? undefined
        : Math.max(0, report.rttMs - this.#baseRttMs);
    const intervalMs = this.#previousMs === undefined ? FIRST_REPORT_INTERVAL_MS : report.tMs - this.#previousMs;
    this.#previousMs = report.tMs;
    const sentKbps = sent.meanSince(report.tMs - intervalMs) ?? targetKbps;
    const previousQueueMs = this.#previousQueueMs;
    const growthMs = Math.max(0, (queueMs ?? 0) - (previousQueueMs ?? 0));
    this.#previousQueueMs = queueMs;
    // With losses, what arrived is the capacity; with delay alone, the queue grew by the excess.
    const capacityKbps =
      (loss ?? 0) >= LOSS_CLEAN ? sentKbps * (1 - loss!) : (sentKbps * intervalMs) / (intervalMs + growthMs);
    // One RTT sample may catch a key frame's burst in the queue (up to the encoder's rate-control
    // buffer); a standing queue shows in two reports running, or is deeper than any burst. The RTT
    // comes from our last sender report, which may be old: a queue smaller than at the previous
    // report is draining already. Losses with a queue are no burst either.
    const draining = previousQueueMs !== undefined && queueMs !== undefined && queueMs < previousQueueMs;
    const standing =
      queueMs !== undefined &&
      !draining &&
      (queueMs >= BURST_QUEUE_MS ||
        (queueMs >= QUEUE_OVERUSE_MS && (loss ?? 0) >= LOSS_CLEAN) ||
        (previousQueueMs !== undefined && Math.min(queueMs, previousQueueMs) >= QUEUE_OVERUSE_MS));
    return {
      overuse: lossy || standing,
      overuseReason: lossy ? 'loss' : 'delay',
      // A report that had to be corrected, or whose counters said nothing true, is no evidence of
      // a clean path (it may still show an overuse).
      clean: report.trusted && loss !== undefined && loss < LOSS_CLEAN && (queueMs ?? 0) < QUEUE_CLEAN_MS,
      capacityKbps,
      // A tail-drop queue that loses packets is full, whatever the RTT says (its base may have
      // been learnt behind that very queue).
      queueMs: lossy ? Math.max(queueMs ?? 0, FULL_QUEUE_MS) : queueMs,
      figures: { rttMs: report.rttMs, queueMs, loss, capacityKbps },
    };
  }
}
