// Per-viewer network figures: from its checked receiver reports (`report` events), its TWCC
// feedback, and for TCP viewers the server's send queue (`queue` records). A viewer that never
// reported stays "no reports": never shown as a perfect link. Its signal kind says which of
// these the controller can follow (src/feedback/signal.ts). A figure is as old as the report
// that carried it: once the viewer has been silent for three of its report intervals, its live
// RTT, jitter and loss are unknown again, never its last value shown as today's.
import type { ViewerTransport } from '../helper/events.ts';
import { signalKind, signalLabel, type SignalKind } from '../feedback/signal.ts';
import { Histogram } from './histogram.ts';
import { quantilesOf, type Quantiles } from './frame-metrics.ts';

export interface ReportObservation {
  address?: string;
  transport?: ViewerTransport;
  /** Absent until the viewer has echoed a sender report of ours (or when it did not check out). */
  rttUs?: number;
  jitterUs?: number;
  fractionLost?: number;
  packetsLost?: number;
  cadenceMs?: number;
}

/** A viewer whose report interval is not known yet (one report) is expected every 5 s: rtspsrc's, VLC's default. */
const DEFAULT_REPORT_INTERVAL_MS = 5_000;
const STALE_AFTER_INTERVALS = 3;
/** rtspsrc asked for 100-ms reports still gets a moment's grace for a late one. */
const MIN_STALE_MS = 2_000;

/** How long a viewer's last report stands for its live figures. */
export function reportStaleAfterMs(cadenceMs: number | undefined): number {
  return Math.max(MIN_STALE_MS, STALE_AFTER_INTERVALS * (cadenceMs ?? DEFAULT_REPORT_INTERVAL_MS));
}

export interface ViewerSnapshot {
  key: string;
  address: string | undefined;
  transport: ViewerTransport | undefined;
  reports: number;
  rttMs: number | undefined;
  jitterMs: number | undefined;
  fractionLost: number | undefined;
  packetsLost: number | undefined;
  unsentBytes: number | undefined;
  signal: SignalKind | undefined;
  /** `twcc`, `tcp-queue`, `rr 5.0 s`, or `none`. */
  signalLabel: string;
  /** Median interval between its receiver reports. */
  reportCadenceMs: number | undefined;
  /** Its latest report is recent (reportStaleAfterMs): its RTT, jitter and loss stand. */
  reporting: boolean;
  twccFeedbacks: number;
}

export interface ViewerSummary extends ViewerSnapshot {
  rtt: Quantiles;
  jitter: Quantiles;
  meanFractionLost: number | undefined;
  /** Feedback corrected or dropped, by reason. */
  feedbackIssues: Record<string, number>;
}

export class ViewerMetrics {
  readonly #snapshot: Omit<ViewerSnapshot, 'signal' | 'signalLabel' | 'reporting'>;
  readonly #rtt = new Histogram();
  readonly #jitter = new Histogram();
  readonly #loss = new Histogram();
  readonly #issues = new Map<string, number>();
  #lastTwccMs: number | undefined;
  #lastReportMs: number | undefined;

  constructor(key: string, address?: string, transport?: ViewerTransport) {
    this.#snapshot = {
      key,
      address,
      transport,
      reports: 0,
      rttMs: undefined,
      jitterMs: undefined,
      fractionLost: undefined,
      packetsLost: undefined,
      unsentBytes: undefined,
      reportCadenceMs: undefined,
      twccFeedbacks: 0,
    };
  }

  addReport(report: ReportObservation, tMs: number): void {
    const snapshot = this.#snapshot;
    this.#lastReportMs = tMs;
    snapshot.reports += 1;
    snapshot.address ??= report.address;
    snapshot.transport ??= report.transport;
    snapshot.reportCadenceMs = report.cadenceMs;
    if (report.rttUs !== undefined) {
      snapshot.rttMs = report.rttUs / 1000;
      this.#rtt.add(snapshot.rttMs);
    }
    if (report.jitterUs !== undefined) {
      snapshot.jitterMs = report.jitterUs / 1000;
      this.#jitter.add(snapshot.jitterMs);
    }
    if (report.fractionLost !== undefined) {
      snapshot.fractionLost = report.fractionLost;
      this.#loss.add(report.fractionLost);
    }
    if (report.packetsLost !== undefined) snapshot.packetsLost = report.packetsLost;
  }

  addQueue(unsentBytes: number): void {
    this.#snapshot.unsentBytes = unsentBytes;
    // Only viewers interleaved in their RTSP connection have a send queue the helper samples.
    this.#snapshot.transport ??= 'tcp';
  }

  addTwcc(tMs: number, transport: ViewerTransport | undefined): void {
    this.#lastTwccMs = tMs;
    this.#snapshot.twccFeedbacks += 1;
    this.#snapshot.transport ??= transport;
  }

  addIssue(reason: string): void {
    this.#issues.set(reason, (this.#issues.get(reason) ?? 0) + 1);
  }

  /** As it stands at `nowMs`: its signal is the richest one it gives now, its figures unknown when their report is stale. */
  snapshot(nowMs: number): ViewerSnapshot {
    const now = this.#withSignal(this.#lastTwccMs === undefined ? undefined : nowMs - this.#lastTwccMs);
    if (this.#lastReportMs === undefined) return { ...now, reporting: false };
    if (nowMs - this.#lastReportMs <= reportStaleAfterMs(now.reportCadenceMs)) return { ...now, reporting: true };
    return { ...now, reporting: false, rttMs: undefined, jitterMs: undefined, fractionLost: undefined };
  }

  /** Over the whole run: its signal is the richest one it ever gave. */
  summary(): ViewerSummary {
    return {
      ...this.#withSignal(this.#lastTwccMs === undefined ? undefined : 0),
      reporting: this.#lastReportMs !== undefined,
      rtt: quantilesOf(this.#rtt),
      jitter: quantilesOf(this.#jitter),
      meanFractionLost: this.#loss.mean(),
      feedbackIssues: Object.fromEntries(this.#issues),
    };
  }

  #withSignal(twccAgeMs: number | undefined): Omit<ViewerSnapshot, 'reporting'> {
    const signal = signalKind({ twccAgeMs, tcp: this.#snapshot.transport === 'tcp', reports: this.#snapshot.reports });
    return { ...this.#snapshot, signal, signalLabel: signalLabel(signal, this.#snapshot.reportCadenceMs) };
  }
}
