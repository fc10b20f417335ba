// Per-viewer network figures from receiver reports (`rtcp` records) and, for TCP viewers, the
// server's send queue (`queue` records). A viewer that never reported stays "no reports":
// never shown as a perfect link.
import { Histogram } from './histogram.ts';
import { quantilesOf, type Quantiles } from './frame-metrics.ts';

export interface ReportObservation {
  ssrc: number;
  address?: string;
  transport?: 'udp' | 'tcp';
  /** Absent until the viewer has echoed a sender report. */
  rttUs?: number;
  jitterUs?: number;
  fractionLost?: number;
  packetsLost?: number;
}

export interface ViewerSnapshot {
  key: string;
  address: string | undefined;
  transport: 'udp' | 'tcp' | undefined;
  reports: number;
  rttMs: number | undefined;
  jitterMs: number | undefined;
  fractionLost: number | undefined;
  packetsLost: number | undefined;
  unsentBytes: number | undefined;
}

export interface ViewerSummary extends ViewerSnapshot {
  rtt: Quantiles;
  jitter: Quantiles;
  meanFractionLost: number | undefined;
}

export class ViewerMetrics {
  readonly #snapshot: ViewerSnapshot;
  readonly #rtt = new Histogram();
  readonly #jitter = new Histogram();
  readonly #loss = new Histogram();

  constructor(key: string, address?: string, transport?: 'udp' | 'tcp') {
    this.#snapshot = {
      key, address, transport, reports: 0,
      rttMs: undefined, jitterMs: undefined, fractionLost: undefined, packetsLost: undefined, unsentBytes: undefined,
    };
  }

  addReport(report: ReportObservation): ViewerSnapshot {
    const snapshot = this.#snapshot;
    snapshot.reports += 1;
    snapshot.address ??= report.address;
    snapshot.transport ??= report.transport;
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
    return { ...snapshot };
  }

  addQueue(unsentBytes: number): void {
    this.#snapshot.unsentBytes = unsentBytes;
    // Only viewers interleaved in their RTSP connection have a send queue the helper samples.
    this.#snapshot.transport ??= 'tcp';
  }

  snapshot(): ViewerSnapshot {
    return { ...this.#snapshot };
  }

  summary(): ViewerSummary {
    return { ...this.snapshot(), rtt: quantilesOf(this.#rtt), jitter: quantilesOf(this.#jitter), meanFractionLost: this.#loss.mean() };
  }
}
